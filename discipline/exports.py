"""The referral list and the accountability leads as Excel (core.exports): the rows and
filters of their pages."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Sequence

from django.db.models import QuerySet

from core import formats, pages
from core.exports import Exporter
from core.models import User

from .forms import LeadFilterForm, ReferralFilterForm
from .models import DisciplineReferral
from .selectors import accountability_leads, referral_list

HEADERS = ("案件编号", "移送单位", "状态", "移送期限", "完成时间", "移送函文号", "接收机关",
           "无违纪线索的理由")


def _rows(user: User, referrals: Iterable[DisciplineReferral]) -> Iterator[Sequence[Any]]:
    for r in referrals:
        yield (r.case.number, r.department.name, r.get_status_display(), formats.due_text(r.due),
               r.met_at, r.letter_number, r.commission.name if r.commission else "",
               r.no_matter_reason)


def _referrals(user: User, params: Mapping[str, str]) -> QuerySet[DisciplineReferral]:
    return pages.filtered(ReferralFilterForm, params, lambda f: referral_list(user, f))


def _leads(user: User, params: Mapping[str, str]) -> QuerySet[DisciplineReferral]:
    return pages.filtered(LeadFilterForm, params, lambda f: accountability_leads(user, f))


REFERRAL_EXPORTER = Exporter(kind="discipline_referrals", title="违纪线索移送台账",
                             capability="referral.view", headers=HEADERS,
                             queryset=_referrals, rows=_rows)
LEADS_EXPORTER = Exporter(kind="discipline_leads", title="违纪线索移送问责线索",
                          capability="referral.oversee", headers=HEADERS,
                          queryset=_leads, rows=_rows)
