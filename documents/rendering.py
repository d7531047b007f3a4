"""Rendering a document kind to HTML, PDF (WeasyPrint) and .docx (python-docx).

The HTML of a kind's template is the one source: WeasyPrint prints it, and the .docx
is built from the same paragraphs (each carries ``data-docx`` with its role), so the
Word copy staff edit in WPS says exactly what the PDF says.
"""
from __future__ import annotations

import datetime as dt
import io
import threading
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import fonts
from .kinds import DocumentKind

# The 发文机关标志 is at most this big, and shrinks so a long name fits the type area.
HEADER_MAX_MM = 15.0
TYPE_AREA_WIDTH_MM = 156.0

# WeasyPrint (Pango, fontconfig) is not documented as thread-safe; one render at a time
# per process, sharing one font configuration so @font-face files load once.
_render_lock = threading.Lock()
_font_config = None


@dataclass(frozen=True)
class DocumentHead:
    """What the layout prints besides the kind's own data."""

    title: str
    number: str
    issuer_name: str
    date: dt.date
    attachments: tuple[str, ...] = ()
    header_suffix: str = "文件"

    @property
    def header(self) -> str:
        return f"{self.issuer_name}{self.header_suffix}"


def _header_size_mm(text: str) -> float:
    # A CJK character is one em wide; keep the header within the type area.
    return round(min(HEADER_MAX_MM, TYPE_AREA_WIDTH_MM * 0.94 / max(len(text), 1)), 2)


def render_html(kind: DocumentKind, head: DocumentHead, data: dict) -> str:
    return render_to_string(kind.template, {
        "doc": head,
        "data": data,
        "fonts": fonts.font_plan(),
        "header_size_mm": _header_size_mm(head.header),
    })


def html_to_pdf(html: str) -> bytes:
    global _font_config
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    with _render_lock:
        if _font_config is None:
            _font_config = FontConfiguration()
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            font_config=_font_config)


def render_pdf(kind: DocumentKind, head: DocumentHead, data: dict) -> bytes:
    return html_to_pdf(render_html(kind, head, data))


# --- .docx -------------------------------------------------------------------------------
@dataclass
class _Block:
    role: str
    runs: list[tuple[str, str]]  # (font role, text)


class _BlockParser(HTMLParser):
    """Collects the ``data-docx`` paragraphs of the rendered HTML with their font runs."""

    FONT_CLASSES = {"f-hei": "hei", "f-kai": "kai", "f-xbs": "xbs"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[_Block] = []
        self._current: _Block | None = None
        self._fonts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and attrs.get("data-docx"):
            self._current = _Block(attrs["data-docx"], [])
            self._fonts = []
        if self._current is not None:
            css = (attrs.get("class") or "").split()
            self._fonts.append(next((self.FONT_CLASSES[c] for c in css if c in self.FONT_CLASSES),
                                    self._fonts[-1] if self._fonts else "fangsong"))

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if self._fonts:
            self._fonts.pop()
        if tag == "p":
            self.blocks.append(self._current)
            self._current = None

    def handle_data(self, data):
        if self._current is not None and data.strip():
            font = self._fonts[-1] if self._fonts else "fangsong"
            self._current.runs.append((font, data.strip("\n")))


# Names Word and WPS resolve to the installed standard faces on a staff computer.
DOCX_FONTS = {"xbs": "方正小标宋简体", "fangsong": "仿宋_GB2312", "hei": "黑体",
              "kai": "楷体_GB2312", "song": "宋体"}


def render_docx(html: str) -> bytes:
    from docx import Document as DocxDocument
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    parser = _BlockParser()
    parser.feed(html)
    red = RGBColor(0xE6, 0x00, 0x12)

    document = DocxDocument()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)

    def font_run(paragraph, text: str, role: str, size: float = 16, color=None, bold=False):
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.font.name = DOCX_FONTS[role]
        run.font.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONTS[role])
        if color is not None:
            run.font.color.rgb = color
        return run

    def paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, before=0.0):
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28.95)  # 225 mm / 22 lines
        fmt.space_before, fmt.space_after = Pt(before), Pt(0)
        if indent:
            fmt.first_line_indent = Pt(32)
        return p

    signature: list[_Block] = []
    for block in parser.blocks:
        text_runs = block.runs
        if block.role == "header":
            p = paragraph(WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=99)
            p.paragraph_format.line_spacing = Pt(50)
            for _role, text in text_runs:
                font_run(p, text, "xbs", size=36, color=red)
        elif block.role == "number":
            p = paragraph(WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=58)
            for _role, text in text_runs:
                font_run(p, text, "fangsong")
            # The red rule under the number: a bottom border on the number paragraph.
            borders = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "11"),
                               ("w:color", "E60012")):
                bottom.set(qn(key), value)
            borders.append(bottom)
            p._p.get_or_add_pPr().append(borders)
        elif block.role == "title":
            p = paragraph(WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=58)
            p.paragraph_format.line_spacing = Pt(33)
            for _role, text in text_runs:
                font_run(p, text, "xbs", size=22)
        elif block.role == "addressee":
            p = paragraph(indent=False, before=29)
            for _role, text in text_runs:
                font_run(p, text, "fangsong")
        elif block.role == "signature":
            signature.append(block)
        else:
            p = paragraph(indent=block.role != "attachment")
            if block.role == "attachment":
                p.paragraph_format.left_indent = Pt(80)
            for role, text in text_runs:
                font_run(p, text, role)
    for index, block in enumerate(signature):
        p = paragraph(WD_ALIGN_PARAGRAPH.RIGHT, indent=False, before=58 if index == 0 else 0)
        p.paragraph_format.right_indent = Pt(64)  # 成文日期右空四字
        for _role, text in block.runs:
            font_run(p, text, "fangsong")

    # 页码 “— 1 —”, 4号 宋体, in the footer.
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font_run(footer, "— ", "song", size=14)
    run = font_run(footer, "", "song", size=14)
    for kind_, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind_:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind_)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    font_run(footer, " —", "song", size=14)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def document_docx_bytes(document) -> bytes:
    """The .docx of an issued document, from the data and number it was issued with."""
    from .kinds import kind as kind_for

    document_kind = kind_for(document.kind)
    head = DocumentHead(
        title=document.title, number=document.number, issuer_name=document.issuer.name,
        date=timezone.localtime(document.issued_at).date(),
        attachments=tuple(document.data.get("attachments") or ()),
        header_suffix=document_kind.header_suffix)
    return render_docx(render_html(document_kind, head, document.data))
