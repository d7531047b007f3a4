"""M11.3: a guiding case is published with personal data removed. Every text of a guiding
case passes through ``deidentify`` before it is stored, so the parties' names and ID
numbers of the case behind it never reach a page, a PDF or the public portal: a person
becomes 张某, an organisation 某公司 (its kind of name kept), an ID number — theirs or any
that looks like one — and a mobile number are removed."""
from __future__ import annotations

import re
from typing import Iterable

# 18-digit resident ID, 15-digit old ID, unified social credit code, mobile number.
_PATTERNS = [
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])"),
    re.compile(r"(?<!\d)\d{15}(?!\d)"),
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
]
REMOVED = "（已隐去）"
_ORG_SUFFIXES = ("有限责任公司", "有限公司", "公司", "超市", "饭店", "酒店", "宾馆", "餐厅", "商店",
                 "店", "厂", "合作社", "中心", "门诊部", "诊所")


def person_alias(name: str) -> str:
    return f"{name[0]}某" if name else "某某"


def organization_alias(name: str) -> str:
    for suffix in _ORG_SUFFIXES:
        if name.endswith(suffix):
            return f"某{suffix}"
    return "某单位"


def deidentify(text: str, parties: Iterable) -> str:
    """``text`` without the names and ID numbers of ``parties`` (cases.Party rows) and
    without anything shaped like an ID or mobile number."""
    from cases.models import PartyKind

    parties = list(parties)
    # Longest names first: 张三丰 before 张三.
    for party in sorted(parties, key=lambda p: -len(p.name or "")):
        if party.id_number:
            text = text.replace(party.id_number, REMOVED)
        if party.name:
            alias = (person_alias(party.name) if party.kind == PartyKind.PERSON
                     else organization_alias(party.name))
            text = text.replace(party.name, alias)
    for pattern in _PATTERNS:
        text = pattern.sub(REMOVED, text)
    return text
