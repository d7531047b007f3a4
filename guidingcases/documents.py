"""The 行政执法指导案例汇编 (M11.3): what it must hold, and a sample for rendering checks."""
from __future__ import annotations

COMPILATION_FIELDS = {"year": "案例年度", "cases": "收录案例"}


def compilation_sample() -> dict:
    return {"year": 2026, "cases": [{
        "title": "某餐饮店未公示食品经营许可证案", "act_type": "行政处罚",
        "department": "北戴河区市场监督管理局",
        "facts": "2026年7月，执法人员检查发现某餐饮店未在经营场所显著位置公示食品经营许可证。",
        "handling": "责令改正，给予警告。",
        "significance": "对首次违法、危害后果轻微并及时改正的，依法适用从轻处罚。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十六条。"}]}
