"""The PDF layout (GB/T 9704-2012) and its fonts (issue 4)."""
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError

from core.testing import justice_bureau
from documents import fonts, services

pytestmark = pytest.mark.django_db


def _pdf(document, tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(document.file.read())
    return path


def test_notice_pdf_is_a4_with_every_font_embedded_and_subset(issue_notice, tmp_path):
    """M7.5 notice: pdffonts lists only embedded subset fonts; the page is A4."""
    path = _pdf(issue_notice(), tmp_path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert len(rows) >= 3  # 小标宋 (title), 仿宋 (body), 黑体 (headings) at least
    for row in rows:
        name, emb, sub = row.split()[0], *row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", name), row


def test_pdftotext_finds_the_title_number_and_body(issue_notice, tmp_path):
    document = issue_notice(title="关于行政处罚案卷问题整改的监督通知书")
    text = subprocess.run(["pdftotext", "-layout", str(_pdf(document, tmp_path)), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "关于行政处罚案卷问题整改的监督通知书" in flat
    assert document.number == "北司监〔%d〕1号" % document.year
    assert document.number in flat
    assert "北戴河区市场监督管理局：" in flat
    assert "调查笔录仅有一名执法人员签名" in flat
    assert "—1—" in flat  # 页码 “— 1 —”
    deadline = document.data["deadline"]
    y, m, d = (int(x) for x in deadline.split("-"))
    # The due date as every page writes it (core.formats): the day's end is 24时.
    assert f"请你单位于{y}年{m}月{d}日24时前完成整改" in flat


def test_a_character_no_font_can_draw_is_refused_not_printed_as_a_box(issue_notice):
    """Never a missing glyph: the service names the character instead of issuing."""
    assert fonts.missing_glyphs("北戴河区司法局〔〕—") == []
    assert fonts.missing_glyphs("𠀀") == ["𠀀"]  # CJK Extension B, outside every face here
    with pytest.raises(ValidationError, match="无法在公文字体中显示.*𠀀"):
        issue_notice(facts="当事人姓名中有生僻字𠀀。")
    from documents.models import Document

    assert not Document.objects.exists()


def test_licensed_standard_face_in_font_dir_comes_first(settings, tmp_path):
    """FONT_DIR: a file whose family is 仿宋_GB2312 is declared with @font-face and heads
    the body stack; the open faces follow for the characters it lacks."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for x, y in ((0, 0), (0, 800), (800, 800), (800, 0)):
        (pen.moveTo if x == y == 0 else pen.lineTo)((x, y))
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "uni901A"])
    builder.setupCharacterMap({0x901A: "uni901A"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "uni901A": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (1000, 0), "uni901A": (1000, 0)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "仿宋_GB2312", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(tmp_path / "fangsong.ttf"))
    settings.FONT_DIR = str(tmp_path)

    plan = fonts.font_plan()
    assert plan.standard["fangsong"] is True
    assert plan.stacks["fangsong"].startswith('"GWB 仿宋_GB2312"')
    assert plan.stacks["fangsong"].endswith('"Noto Serif CJK SC", "Noto Sans CJK SC"')
    assert (tmp_path / "fangsong.ttf").as_uri() in plan.font_faces_css


def test_render_document_sample_command(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "sample.pdf"
    call_command("render_document", "--sample", "supervision_notice", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "行政执法监督通知书" in re.sub(r"\s+", "", text)


def test_docx_copy_says_what_the_pdf_says(issue_notice):
    """Issue 4.5: a .docx for editing in WPS or Word, from the same data."""
    import io

    from docx import Document as Docx

    from documents.rendering import document_docx_bytes

    document = issue_notice()
    docx = Docx(io.BytesIO(document_docx_bytes(document)))
    texts = [p.text for p in docx.paragraphs]
    assert document.number in texts
    assert "北戴河区市场监督管理局：" in texts
    assert any("调查笔录仅有一名执法人员签名" in t for t in texts)
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    fonts_used = {run.font.name for p in docx.paragraphs for run in p.runs}
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"} <= fonts_used
