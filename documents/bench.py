"""``make bench ARGS=documents`` (issue 4): render time of a short 行政执法监督通知书 next
to the floor — WeasyPrint printing the same text as bare Chinese HTML in the same fonts,
without the layout — and the size of the notice's PDF. Targets: within 1.5 × the floor,
under 400 KB.

With GB/T 9704-2012's header geometry (header 35 mm into the type area, number, rule,
title, addressee) page 1 keeps about eight lines for the body, so a notice with its four
required sections and the signature runs onto a second page; the floor prints the same
text, so both sides lay out the same glyphs and the comparison is like for like."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import escape

from core import bench

from . import fonts, rendering
from .supervision import SUPERVISION_NOTICE

RATIO_TARGET = 1.5
SIZE_TARGET_KB = 400


def one_page_notice() -> tuple[rendering.DocumentHead, dict]:
    """The shortest realistic notice: one line per section."""
    data = {
        "addressee": "北戴河区市场监督管理局",
        "facts": "2026年11月，我局抽查你单位行政处罚案卷10件，发现3件案件未告知当事人陈述、申辩的权利。",
        "legal_basis": "《中华人民共和国行政处罚法》第四十四条、第四十五条。",
        "rectification": "对上述案件逐件复查，依法纠正程序瑕疵，并组织执法人员专题培训。",
        "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "report_method": "整改完成后5个工作日内书面报告区司法局。",
    }
    head = rendering.DocumentHead(
        title="行政执法监督通知书", number="北司监〔2026〕7号", issuer_name="北戴河区司法局",
        date=timezone.localdate(), header_suffix=SUPERVISION_NOTICE.header_suffix)
    return head, data


def floor_html(text: str) -> str:
    """The floor: the notice's own text as bare paragraphs in the same faces, no layout."""
    plan = fonts.font_plan()
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>"
        f"{plan.font_faces_css} @page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}"
        f"body {{ font-family: {plan.stacks['fangsong']}; font-size: 16pt; }}"
        f"h1 {{ font-family: {plan.stacks['xbs']}; font-weight: {plan.weights['xbs']}; font-size: 22pt; }}"
        f"b {{ font-family: {plan.stacks['hei']}; font-weight: {plan.weights['hei']}; }}"
        f"i {{ font-family: {plan.stacks['kai']}; font-style: normal; }}"
        "</style></head><body>" + text + "</body></html>")


def _text_blocks(html: str) -> list[str]:
    """The notice's paragraphs as bare HTML, each run in the face the notice uses."""
    parser = rendering._BlockParser()
    parser.feed(html)
    tags = {"xbs": "h1", "hei": "b", "kai": "i", "fangsong": "span"}
    return ["".join(f"<{tags[font]}>{escape(text)}</{tags[font]}>" for font, text in block.runs)
            for block in parser.blocks]


def _figures():
    from weasyprint import HTML

    head, data = one_page_notice()
    html = rendering.render_html(SUPERVISION_NOTICE, head, data)
    pdf = rendering.html_to_pdf(html)
    pages = len(HTML(string=html).render().pages)
    # The floor: every word the notice prints, as bare paragraphs.
    floor = floor_html("".join(f"<p>{block}</p>" for block in _text_blocks(html)))
    floor_pdf = rendering.html_to_pdf(floor)
    floor_pages = len(HTML(string=floor).render().pages)
    notice_s = bench.timed(lambda: rendering.render_pdf(SUPERVISION_NOTICE, head, data), repeat=7)
    floor_s = bench.timed(lambda: rendering.html_to_pdf(floor), repeat=7)
    ratio = notice_s / floor_s
    size_kb = len(pdf) / 1024
    return [
        bench.Figure("底线：裸中文页面渲染", floor_s * 1000, "ms"),
        bench.Figure("底线 PDF 大小", len(floor_pdf) / 1024, "KB"),
        bench.Figure("底线页数", floor_pages, "页"),
        bench.Figure("监督通知书渲染", notice_s * 1000, "ms"),
        bench.Figure("通知书页数", pages, "页"),
        bench.Figure("通知书 / 底线", ratio, "倍", f"≤ {RATIO_TARGET}", ratio <= RATIO_TARGET),
        bench.Figure("通知书 PDF 大小", size_kb, "KB", f"< {SIZE_TARGET_KB}", size_kb < SIZE_TARGET_KB),
    ]


bench.register("documents", _figures, "公文：监督通知书与裸中文页面（底线）的渲染时间和 PDF 大小（issue 4）")
