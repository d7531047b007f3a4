"""The appraisal's documents: the numbered 考核结果通报 (M9.4) the justice bureau issues when it
publishes a year's results, and the coordination office's 工作通报 of a unit's poor
implementation of the mechanisms (W2)."""
from __future__ import annotations

from documents.kinds import DocumentKind


def report_sample() -> dict:
    return {
        "year": 2025, "approved_on": "2026-01-20", "units": 4,
        "grades": [{"grade": "优秀", "units": "北戴河区市场监督管理局（93.5分）"},
                   {"grade": "良好", "units": "北戴河区城市管理综合行政执法局（86.0分）、海滨镇人民政府（82.0分）"},
                   {"grade": "合格", "units": "北戴河区住房和城乡建设局（71.5分）"}],
        "commended": ["北戴河区市场监督管理局：行政执法三项制度落实到位，案件移送全部按期办结"],
        "criticised": [],
        "results": "",
    }


def implementation_sample() -> dict:
    return {
        "unit": "北戴河区住房和城乡建设局", "year": 2026,
        "facts": "2026年以来，该局议定事项逾期未反馈2件，监督通知书整改逾期1件，"
                 "行政处罚决定未按期公示5件。",
        "requirements": "该局要于15个工作日内完成整改，并将整改情况书面报送区行政执法协调小组办公室。",
    }


APPRAISAL_REPORT = DocumentKind(
    code="appraisal_report", title="考核结果通报",
    template="assessment/documents/appraisal_report.html", number_code="考",
    sample=report_sample, required={"grades": "考核结果"}, capability="appraisal.manage",
    header_suffix="")

IMPLEMENTATION_NOTICE = DocumentKind(
    code="implementation_notice", title="工作通报",
    template="assessment/documents/implementation_notice.html", number_code="督",
    sample=implementation_sample, required={"facts": "存在的问题", "requirements": "工作要求"},
    capability="implementation.supervise", header_suffix="")
