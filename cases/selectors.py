"""Reads of cases, and their visibility scope. Every list and fetch goes through
core.policy; a party's ID is shown whole only to the case's own department and the
justice bureau (pages, exports and the API all call ``party_id_for``/``mask_id``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.core.paginator import Paginator
from django.db.models.functions import Cast

from core import policy
from core.models import User

from .models import ActType, CaseStatus, EnforcementCase, EnforcementField, Party

# Three systems (国办发〔2018〕118号): licensing and penalty decisions are published within
# 7 working days, every other decision within 20. The lengths live in the deadline rules.
PUBLICITY_RULE_SHORT = "publicity_licensing_penalty"
PUBLICITY_RULE_LONG = "publicity_other"
PUBLICITY_RULES = (PUBLICITY_RULE_SHORT, PUBLICITY_RULE_LONG)


def publicity_rule_for(case: EnforcementCase) -> str:
    if case.act_type in (ActType.LICENSING, ActType.PENALTY):
        return PUBLICITY_RULE_SHORT
    return PUBLICITY_RULE_LONG


@policy.register_scope(EnforcementCase)
def _own_cases(viewer: policy.Viewer) -> Q:
    return Q(department_id__in=viewer.org_ids)


@policy.register_scope(Party)
def _parties_of_visible_cases(viewer: policy.Viewer) -> Q:
    return Q(case_id__in=policy.visible_pks(viewer, EnforcementCase))


# --- ID masking ------------------------------------------------------------------------

def mask_id(value: str) -> str:
    """1303**********1234: the first four and last four characters, the rest starred."""
    if len(value) <= 8:
        return "*" * max(len(value) - 2, 0) + value[-2:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def sees_full_ids(user: User, department_id: int) -> bool:
    """The case's own department and the justice bureau see IDs whole."""
    v = policy.viewer(user)
    return v.sees_all or department_id in v.org_ids


def party_id_for(user: User, party: Party) -> str:
    if sees_full_ids(user, party.case.department_id):
        return party.id_number
    return mask_id(party.id_number)


# --- lists ----------------------------------------------------------------------------

def _deadline_model():
    """deadlines.Deadline, or None while that app has no such model."""
    try:
        return apps.get_model("deadlines", "Deadline")
    except LookupError:
        return None


def overdue_q() -> Q:
    """Cases with an overdue deadline row, as one correlated subquery (no Python loop)."""
    Deadline = _deadline_model()
    if Deadline is None:
        return Q(pk__in=[])
    from deadlines.models import DeadlineState

    overdue = Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(EnforcementCase),
        target_id=Cast(OuterRef("pk"), CharField()),
        state=DeadlineState.OVERDUE,
    )
    return Q(Exists(overdue))


def search_q(user: User, text: str) -> Q:
    """By case number, party name, or a party's whole ID — the ID only where the viewer
    may see it whole, so the search cannot confirm a masked number."""
    text = text.strip()
    by_party = Party.objects.filter(case=OuterRef("pk"), name__icontains=text)
    q = Q(number__icontains=text) | Q(Exists(by_party))
    if len(text) >= 6:
        v = policy.viewer(user)
        by_id = Party.objects.filter(case=OuterRef("pk"), id_number=text.upper())
        if v.sees_all:
            q |= Q(Exists(by_id))
        else:
            q |= Q(Exists(by_id), department_id__in=v.org_ids)
    return q


FILTER_KEYS = ("department", "act_type", "field", "status", "filed_from", "filed_to",
               "closed_from", "closed_to", "overdue", "q")


def case_list(user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[EnforcementCase]:
    """The cases ``user`` sees, filtered. ``filters`` keys (all optional): department
    (Organization or id), act_type, field, status, filed_from/filed_to,
    closed_from/closed_to (dates), overdue (bool), q (search text)."""
    filters = filters or {}
    qs = policy.visible_to(user, EnforcementCase).select_related("department")
    if filters.get("department"):
        qs = qs.filter(department=filters["department"])
    for key in ("act_type", "field", "status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    ranges: dict[str, dt.date | None] = {
        "filed_on__gte": filters.get("filed_from"), "filed_on__lte": filters.get("filed_to"),
        "closed_on__gte": filters.get("closed_from"), "closed_on__lte": filters.get("closed_to"),
    }
    qs = qs.filter(**{k: v for k, v in ranges.items() if v})
    if filters.get("overdue"):
        qs = qs.filter(overdue_q())
    if filters.get("q"):
        qs = qs.filter(search_q(user, filters["q"]))
    return qs.order_by("-filed_on", "-id")


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the case list with every cell as shown, so the page renders 25 lines
    without a filter, a ``get_*_display`` or a related manager per cell (issue 5, part 5).
    The list shows party names only, never IDs, so nothing here needs masking."""

    pk: int
    number: str
    is_major_decision: bool
    department: str
    act_type: str
    field: str
    parties: str
    filed_on: str
    status: str
    closed_on: str


_ACT_TYPES = {value: str(label) for value, label in ActType.choices}
_FIELDS = {value: str(label) for value, label in EnforcementField.choices}
_STATUSES = {value: str(label) for value, label in CaseStatus.choices}


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def case_rows(pks: list[int]) -> list[CaseRow]:
    """The list's rows for primary keys already taken from a visible, filtered list: one
    query whatever the page size (the cases joined to their parties' names, a line per
    party), plain values instead of model instances."""
    rows: dict[int, list] = {}
    for pk, *case, party in (
        EnforcementCase.objects.filter(pk__in=pks).order_by("pk", "parties__id").values_list(
            "pk", "number", "is_major_decision", "department__short_name", "act_type", "field",
            "filed_on", "status", "closed_on", "parties__name")):
        row = rows.setdefault(pk, [case, []])
        if party is not None:
            row[1].append(party)
    return [
        CaseRow(pk=pk, number=number, is_major_decision=major, department=department,
                act_type=_ACT_TYPES.get(act_type, act_type), field=_FIELDS.get(field, field),
                parties="、".join(parties) or "—", filed_on=_day(filed_on),
                status=_STATUSES.get(status, status), closed_on=_day(closed_on))
        for pk, ((number, major, department, act_type, field, filed_on, status, closed_on), parties)
        in rows.items()
    ]


def case_get(user: User, pk) -> EnforcementCase:
    """One visible case (404 for missing and forbidden alike)."""
    return policy.access(user, EnforcementCase.objects.select_related("department", "created_by"), pk)


def parties_for(user: User, case: EnforcementCase) -> list[Party]:
    """The case's parties with ``shown_id`` set to what this viewer may read."""
    full = sees_full_ids(user, case.department_id)
    parties = list(policy.visible_to(user, Party).filter(case=case).order_by("id"))
    for party in parties:
        party.shown_id = party.id_number if full else mask_id(party.id_number)
    return parties


def party_get(user: User, pk) -> Party:
    return policy.access(user, Party.objects.select_related("case", "case__department"), pk)


def publicity_deadline(user: User, case: EnforcementCase):
    """The decision's publicity deadline (latest), or None before a decision."""
    from deadlines.selectors import deadlines_for

    return deadlines_for(user, case).filter(rule__in=PUBLICITY_RULES).order_by("-start", "-id").first()


class CasePaginator(Paginator):
    """Pagination that stays fast on a million rows (issue 5, part 5).

    One read of primary keys serves both the page and its count: it starts at the page's
    offset and takes up to ``LOOK_AHEAD_PAGES`` pages of keys, from the list index alone
    (an index-only scan; ``OFFSET`` skips index entries, never rows). The first
    ``per_page`` keys are the page, loaded by key through ``hydrate``; how many came back
    gives the count — exact when the list ends within the window, otherwise "more than"
    (``count_exact``). No sort of the filtered set, no full ``COUNT(*)``, and the queries
    per page do not depend on the page size: keys, rows, one prefetch per relation.
    """

    LOOK_AHEAD_PAGES = 20

    def __init__(self, object_list, per_page, *, hydrate=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.hydrate = hydrate or (lambda pks: object_list.model._default_manager.filter(pk__in=pks))
        self.count_exact = True

    def _keys(self, number: int) -> list:
        bottom = (number - 1) * self.per_page
        return list(self.object_list.values_list("pk", flat=True)[
            bottom:bottom + self.LOOK_AHEAD_PAGES * self.per_page + 1])

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        pks = self._keys(number)
        if not pks and number > 1:
            # Past the end (an old link): the last page, found with one real count.
            number = max(1, -(-self.object_list.count() // self.per_page))
            pks = self._keys(number)
        window = self.LOOK_AHEAD_PAGES * self.per_page
        self.count_exact = len(pks) <= window
        self.__dict__["count"] = (number - 1) * self.per_page + min(len(pks), window)
        page_pks = pks[: self.per_page]
        rows = {obj.pk: obj for obj in self.hydrate(page_pks)}
        return self._get_page([rows[pk] for pk in page_pks if pk in rows], number, self)

    page = get_page
