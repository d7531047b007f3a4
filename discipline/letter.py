"""The 违纪线索移送函 (M10.3): what it must say, and a sample for rendering checks."""
from __future__ import annotations

LETTER_FIELDS = {
    "addressee": "主送机关",
    "case_number": "案件编号",
    "parties": "涉及人员",
    "penalty": "处罚决定",
    "leads": "违纪线索",
    "signed_by": "签字负责人",
}


def letter_sample() -> dict:
    return {
        "addressee": "北戴河区纪委监委",
        "case_number": "北市监罚〔2026〕15号",
        "case_summary": "2026年9月，当事人在北戴河区某超市销售超过保质期的食品，货值金额1200元。",
        "decision_date": "2026-10-20",
        "closed_on": "2026-11-02",
        "penalty": "没收违法所得，罚款人民币五千元（罚没金额5000.00元）",
        "parties": ["张某，中共党员，国家公职人员，工作单位：北戴河区某街道办事处，职务：科员"],
        "leads": "张某系国家公职人员，利用周末经营超市并销售过期食品，可能违反《中华人民共和国公职人员政务处分法》有关规定。",
        "signed_by": "市场监管局负责人",
        "signed_at": "2026年11月05日",
        "attachments": ["行政处罚决定书（北市监罚〔2026〕15号）"],
    }
