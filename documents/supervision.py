"""The three instruments of the 《行政执法监督条例》 (M7.5): the 行政执法监督通知书 — problems
are corrected through a supervision notice —, the 行政执法监督意见书 and the
行政执法监督决定书. In each the justice bureau tells a department what a check found, on
what legal basis, what it must rectify (or what it decided), by when, and how to report
back; each runs the same rectification deadline and loop (``documents.services``)."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from django.utils import timezone

from .kinds import DocumentKind

# The longest text a bureau writes in each part of a notice (characters): a notice is a
# few pages, not hundreds (a 330,000-character one took 67 s to render and printed 574
# pages). The form, the API and ``supervision_notice_issue`` all hold to these.
NOTICE_LIMITS = {
    "facts": 5000,
    "legal_basis": 2000,
    "rectification": 3000,
    "report_method": 1000,
    "contact": 100,
    "attachments": 1000,
}

SUPERVISION_NOTICE_FIELDS = {
    "addressee": "主送单位",
    "facts": "检查发现的问题",
    "legal_basis": "认定依据",
    "rectification": "整改要求",
    "deadline": "整改期限",
    "report_method": "整改情况报告方式",
}


def supervision_notice_sample() -> dict:
    deadline = timezone.localdate() + dt.timedelta(days=30)
    return {
        "addressee": "北戴河区市场监督管理局",
        "facts": (
            "2026年11月，我局对你单位2026年1月至10月办结的行政处罚案件进行了案卷评查，"
            "随机抽取案卷20件，发现以下问题：\n"
            "（一）执法程序不规范。3件案件未在作出处罚决定前告知当事人陈述、申辩的权利，"
            "2件案件的调查询问笔录仅有一名执法人员签名。\n"
            "（二）执法公示不及时。5件行政处罚决定未在作出决定之日起7个工作日内公开。\n"
            "（三）法制审核缺位。1件重大执法决定未经法制审核即作出决定。"
        ),
        "legal_basis": (
            "《中华人民共和国行政处罚法》第四十四条、第四十五条、第四十二条、第五十八条，"
            "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度"
            "重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）。"
        ),
        "rectification": (
            "对上述案件逐件复查，依法纠正程序瑕疵；未公开的处罚决定立即公开；"
            "健全重大执法决定法制审核目录，明确审核机构和审核时限；"
            "组织全体执法人员开展行政处罚法专题培训。"
        ),
        "deadline": deadline.isoformat(),
        "report_method": (
            "整改完成后5个工作日内，将整改情况书面报告（加盖单位公章）报送区司法局"
            "行政执法协调监督科，同时通过本平台上传整改材料。"
        ),
        "contact": "联系人：李明，联系电话：0335-4041234",
    }


SUPERVISION_NOTICE = DocumentKind(
    code="supervision_notice",
    title="行政执法监督通知书",
    template="documents/kinds/supervision_notice.html",
    number_code="监",
    sample=supervision_notice_sample,
    required=SUPERVISION_NOTICE_FIELDS,
    capability="supervision.notice",
    header_suffix="",
)


def _instrument_sample(kind_text: str) -> Callable[[], dict]:
    def sample() -> dict:
        return {**supervision_notice_sample(), "rectification": kind_text}
    return sample


# The opinion: the bureau's view on how the unit should correct and improve its work.
SUPERVISION_OPINION = DocumentKind(
    code="supervision_opinion",
    title="行政执法监督意见书",
    template="documents/kinds/supervision_opinion.html",
    number_code="监意",
    sample=_instrument_sample("对上述问题逐项整改，健全案件公示台账，完善重大执法决定法制审核目录。"),
    required=SUPERVISION_NOTICE_FIELDS,
    capability="supervision.notice",
    header_suffix="",
)

# The decision: the bureau decides a correction (责令改正、撤销、确认违法 …) the unit carries out.
SUPERVISION_DECISION = DocumentKind(
    code="supervision_decision",
    title="行政执法监督决定书",
    template="documents/kinds/supervision_decision.html",
    number_code="监决",
    sample=_instrument_sample("责令你单位对上述行政处罚决定予以纠正，并重新作出处理。"),
    required=SUPERVISION_NOTICE_FIELDS,
    capability="supervision.notice",
    header_suffix="",
)

# The kinds that carry a rectification deadline and its loop, in the order the forms list them.
INSTRUMENTS: dict[str, DocumentKind] = {
    k.code: k for k in (SUPERVISION_NOTICE, SUPERVISION_OPINION, SUPERVISION_DECISION)}


def instrument_choices() -> list[tuple[str, str]]:
    return [(code, k.title) for code, k in INSTRUMENTS.items()]
