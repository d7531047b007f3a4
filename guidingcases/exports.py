"""The guiding-case list as Excel (core.exports): the list's filters and scope."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import GuidingCaseFilterForm

EXPORTER = Exporter(
    kind="guiding_cases", title="行政执法指导案例", capability="guidingcase.view",
    headers=("案例标题", "案例年度", "办案单位", "行为类别", "来源", "选择理由", "状态", "发布形式", "发布日期"),
    queryset=lambda user, params: filtered(GuidingCaseFilterForm, params,
                                           lambda f: selectors.guiding_case_list(user, f)),
    rows=lambda user, cases: ((g.title, g.year, g.department.name, g.get_act_type_display(),
                               g.get_origin_display(), g.reasons_text, g.get_status_display(),
                               g.channels_text, g.published_on) for g in cases))
