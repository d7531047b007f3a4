"""``manage.py render_document --sample supervision_notice --out FILE.pdf``: print a
document kind from its sample data, for people checking the layout. Nothing is issued,
numbered or stored."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from documents import kinds, rendering


class Command(BaseCommand):
    help = "用样例数据生成某一文种的 PDF（不编号、不入库），用于核对版式。"

    def add_arguments(self, parser):
        parser.add_argument("--sample", required=True, metavar="KIND",
                            help="文种代码，如 supervision_notice")
        parser.add_argument("--out", required=True, help="输出的 PDF 文件")
        parser.add_argument("--docx", action="store_true", help="同时输出同名 .docx")

    def handle(self, *args, sample, out, docx, **options):
        try:
            kind = kinds.kind(sample)
        except LookupError:
            codes = ", ".join(k.code for k in kinds.all_kinds())
            raise CommandError(f"未知文种 {sample!r}；已登记：{codes}") from None
        if kind.sample is None:
            raise CommandError(f"文种 {sample!r} 没有样例数据")
        data = kind.sample()
        head = rendering.DocumentHead(
            title=kind.title, number=f"北司{kind.number_code}〔{timezone.localdate().year}〕7号",
            issuer_name="北戴河区司法局", date=timezone.localdate(),
            attachments=tuple(data.get("attachments") or ()), header_suffix=kind.header_suffix)
        html = rendering.render_html(kind, head, data)
        path = Path(out)
        path.write_bytes(rendering.html_to_pdf(html))
        self.stdout.write(f"已生成 {path}（{path.stat().st_size // 1024} KB）")
        if docx:
            docx_path = path.with_suffix(".docx")
            docx_path.write_bytes(rendering.render_docx(html))
            self.stdout.write(f"已生成 {docx_path}")
