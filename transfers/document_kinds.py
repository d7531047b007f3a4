"""Sample data for the two document kinds this app issues (the documents app's preview)."""
from __future__ import annotations


def sample_transfer_letter() -> dict:
    return {
        "kind": "移送有管辖权的部门", "sender": "北戴河区市场监督管理局",
        "receiver": "北戴河区城市管理综合行政执法局", "subject": "某商户占道经营案",
        "case_number": "北市监立〔2026〕12号", "case_summary": "当事人在人行道设置经营摊点。",
        "reason": "占道经营属城市管理部门管辖。", "basic_facts": "",
        "materials": ["案件调查报告", "涉案物品清单", "检验报告或鉴定结论"],
        "decision_travels": False,
    }


def sample_ordered_transfer_notice() -> dict:
    return {
        "department": "北戴河区市场监督管理局", "case_number": "北市监立〔2026〕12号",
        "case_summary": "当事人销售假冒注册商标的商品，货值金额较大。",
        "receiver": "秦皇岛市公安局北戴河分局", "reason": "涉嫌销售假冒注册商标的商品罪，达到刑事追诉标准。",
        "due": "2026年3月20日17时00分", "issuer": "北戴河区司法局",
    }
