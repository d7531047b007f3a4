"""The appraisal's lists as Excel (core.exports): the same filters and scope as the pages."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import implementation, selectors
from .forms import (AppraisalFilterForm, EvaluationFilterForm, ImplementationFilterForm,
                    ReversalFilterForm, SelfAssessmentFilterForm)

EXPORTERS = (
    Exporter(
        kind="appraisals", title="依法行政考核", capability="appraisal.view",
        headers=("考核名称", "考核年度", "状态", "审定时间", "公布时间"),
        queryset=lambda user, params: filtered(AppraisalFilterForm, params,
                                               lambda f: selectors.appraisal_list(user, f)),
        rows=lambda user, rows: ((a.title, a.year, a.get_status_display(), a.approved_at,
                                  a.published_at) for a in rows)),
    Exporter(
        kind="appraisal_reversals", title="行政复议被纠错和行政诉讼败诉", capability="appraisal.manage",
        headers=("单位", "年度", "行政复议被纠错件数", "行政诉讼败诉件数", "说明", "登记时间"),
        queryset=lambda user, params: filtered(ReversalFilterForm, params,
                                               lambda f: selectors.reversal_list(user, f)),
        rows=lambda user, rows: ((r.unit.name, r.year, r.reconsideration_reversed, r.litigation_lost,
                                  r.note, r.entered_at) for r in rows)),
    Exporter(
        kind="self_assessments", title="考核自评", capability="self_assessment.write",
        headers=("自评单位", "年度", "状态", "报送时间", "公开时间"),
        queryset=lambda user, params: filtered(SelfAssessmentFilterForm, params,
                                               lambda f: selectors.self_assessment_list(user, f)),
        rows=lambda user, rows: ((s.department.name, s.appraisal.year, s.get_status_display(),
                                  s.filed_at, s.published_at) for s in rows)),
    Exporter(
        kind="officer_evaluations", title="执法人员考核评议", capability="self_assessment.write",
        headers=("评议单位", "评议期间", "状态", "备案时间", "公开时间"),
        queryset=lambda user, params: filtered(EvaluationFilterForm, params,
                                               lambda f: selectors.evaluation_list(user, f)),
        rows=lambda user, rows: ((e.department.name, e.period_text, e.get_status_display(),
                                  e.filed_at, e.published_at) for e in rows)),
    Exporter(
        kind="implementation", title="机制落实督查", capability="implementation.supervise",
        headers=("单位", "本年按期完成", "本年逾期完成", "当前逾期未完成", "正在办理"),
        queryset=lambda user, params: filtered(ImplementationFilterForm, params,
                                               implementation.unit_list),
        rows=lambda user, rows: ((u.name, u.on_time, u.late, u.overdue, u.open) for u in rows)),
)
