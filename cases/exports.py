"""The case register as Excel (core.exports, registered in CasesConfig.ready()): the
list page's filters — an unreadable one exports no rows, as the page shows none —, scope
and ID masking."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Sequence

from django.db.models import QuerySet

from core.exports import Exporter
from core.models import User
from core.pages import filtered

from . import selectors
from .forms import CaseFilterForm
from .models import EnforcementCase

HEADERS = ("案件编号", "办案单位", "行为类别", "执法领域", "案情摘要", "发现时间", "立案日期",
           "办理状态", "重大执法决定", "决定日期", "决定内容", "罚没金额（元）", "公示日期",
           "公示渠道", "结案日期", "当事人（证件号码）")


def case_export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[EnforcementCase]:
    return filtered(CaseFilterForm, params,
                    lambda filters: selectors.case_list(user, filters)).prefetch_related("parties")


def case_export_rows(user: User, cases: Iterable[EnforcementCase]) -> Iterator[Sequence[Any]]:
    for case in cases:
        full = selectors.sees_full_ids(user, case.department_id)
        parties = "；".join(
            f"{p.name}（{p.id_number if full else selectors.mask_id(p.id_number)}）"
            for p in case.parties.all()
        )
        yield (
            case.number, case.department.name, case.get_act_type_display(), case.get_field_display(),
            case.summary, case.discovered_at, case.filed_on, case.get_status_display(),
            "是" if case.is_major_decision else "否", case.decision_date, case.decision_summary,
            case.penalty_amount, case.published_on, case.get_publicity_channel_display(),
            case.closed_on, parties,
        )


CASE_EXPORTER = Exporter(
    kind="cases", title="执法案件台账", capability="case.export", headers=HEADERS,
    queryset=case_export_queryset, rows=case_export_rows,
)
