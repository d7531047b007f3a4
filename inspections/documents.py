"""The 问题通报 of a check (M7.5: 开展行政执法监督活动要形成问题通报印发全市): numbered in
the issuing bureau's name, circulated to every unit."""
from __future__ import annotations

from django.utils import timezone

from documents.kinds import DocumentKind

BULLETIN_FIELDS = {"check": "检查名称", "summary": "检查总体情况", "requirements": "整改要求"}


def bulletin_sample() -> dict:
    return {
        "check": "2026年度行政处罚案卷专项监督检查",
        "organizer": "北戴河区司法局",
        "period": f"{timezone.localdate():%Y年%m月}",
        "kind": "专项监督检查（重点领域）",
        "method": "抽查",
        "units": ["北戴河区市场监督管理局"],
        "summary": "区司法局组织对区市场监督管理局2026年1月至10月办结的行政处罚案件开展专项监督检查。",
        "findings": [{"unit": "北戴河区市场监督管理局", "heading": "（一）北戴河区市场监督管理局", "problems": [
            {"item": "行政执法公示、全过程记录、重大执法决定法制审核制度落实情况",
             "text": "5件行政处罚决定未在7个工作日内公示。"}]}],
        "requirements": "各单位对照通报问题举一反三，开展自查自纠。",
    }


INSPECTION_BULLETIN = DocumentKind(
    code="inspection_bulletin",
    title="行政执法监督检查问题通报",
    template="inspections/documents/bulletin.html",
    number_code="通",
    sample=bulletin_sample,
    required=BULLETIN_FIELDS,
    capability="supervision.notice",
    header_suffix="文件",
)
