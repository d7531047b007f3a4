"""Filters for document templates: dates as GB/T 9704-2012 writes them, and free text
split into indented paragraphs with the heading fonts of the levels 一、 and （一）."""
from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core import formats
from deadlines.calendar import end_of_day

register = template.Library()

# 一、 headings are set in 黑体 and （一） headings in 楷体 (GB/T 9704-2012, 7.3.3): the
# marker and the heading up to its first full stop, the rest of the paragraph in 仿宋.
_LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")


@register.filter
def cn_date(value) -> str:
    """2026年11月27日 — Arabic numerals without leading zeros."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def due_day(value) -> str:
    """A time limit written in a document: the day's end reads "2026年4月9日24时"
    (core.formats, as on every page)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return formats.due_text(value)
    return formats.due_text(end_of_day(value))


@register.filter
def numbered(number) -> str:
    """A case number as a letter cites it: "北市监罚〔2026〕15号案件", with 号 added only
    when the number does not end in it already (never "15号号")."""
    number = str(number or "").strip()
    return number if not number or number.endswith("号") else f"{number}号"


def _paragraph(line: str) -> SafeString:
    for pattern, css in ((_LEVEL_1, "f-hei"), (_LEVEL_2, "f-kai")):
        if pattern.match(line):
            stop = line.find("。")
            head, rest = (line, "") if stop < 0 else (line[:stop + 1], line[stop + 1:])
            # A heading alone on its line keeps with the paragraph after it.
            keep = "" if rest else ' class="doc-heading"'
            return format_html('<p{} data-docx="para"><span class="{}">{}</span>{}</p>',
                               mark_safe(keep), css, head, rest)
    return format_html('<p data-docx="para">{}</p>', line)


@register.filter
def paragraphs(text: str) -> SafeString:
    lines = [line.strip() for line in str(text or "").splitlines()]
    return format_html_join("\n", "{}", ((_paragraph(line),) for line in lines if line))
