"""The 行政执法争议协调书面建议 (M2.4): what the justice bureau writes to the district
government when coordination fails, and a sample for rendering checks."""
from __future__ import annotations

RECOMMENDATION_KIND = "dispute_recommendation"

RECOMMENDATION_FIELDS = {
    "addressee": "主送机关",
    "subject": "争议事项",
    "parties": "争议当事单位",
    "facts": "争议事实",
    "process": "协调经过",
    "disagreement": "各方分歧",
    "recommendation": "处理建议",
}


def recommendation_sample() -> dict:
    return {
        "addressee": "北戴河区人民政府",
        "subject": "海滨路流动食品摊贩监管职责",
        "kind": "职责",
        "applicant": "北戴河区市场监督管理局",
        "parties": ["北戴河区市场监督管理局", "北戴河区城市管理综合行政执法局"],
        "filed_on": "2026-10-12",
        "facts": "海滨路沿线流动食品摊贩占道经营并销售自制食品，市场监管局认为属占道经营，"
                 "应由城管局查处；城管局认为涉及食品安全，应由市场监管局查处。",
        "process": "我局于2026年10月15日受理后，征求了双方书面意见，并于10月22日召开协调会，"
                   "双方未能达成一致意见。",
        "disagreement": "双方对流动摊贩销售自制食品行为的监管主体认识不一致。",
        "recommendation": "建议由城管局负责占道经营行为的查处，市场监管局负责食品安全的监督检查，"
                          "两部门建立案件移送和信息通报机制。",
    }
