"""The audit trail as a list (审计记录): its rows for a viewer and filters, each as a
person reads it — the verb's label, the changed fields by their labels with Chinese local
times (``core.timeline``), a link to the record behind it (``core.links``) — and its
Excel export, for those holding ``audit.view``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from . import formats, links, pages, policy
from .exports import Exporter
from .forms import EventFilterForm
from .models import Event
from .timeline import Entry, entry


def event_list(user, filters: dict) -> models.QuerySet[Event]:
    """Events the viewer may see (their units'; the justice bureau all), newest first;
    ``filters`` from EventFilterForm: q, organization, verb, since/until (local dates)."""
    qs = policy.visible_to(user, Event).select_related("actor", "organization")
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(target_repr__icontains=q) | Q(note__icontains=q)
                       | Q(actor__real_name__icontains=q) | Q(actor__username__icontains=q))
    if filters.get("organization"):
        qs = qs.filter(organization=filters["organization"])
    if filters.get("verb"):
        qs = qs.filter(verb=filters["verb"])
    if filters.get("since"):
        qs = qs.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(created_at__date__lte=filters["until"])
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class EventRow:
    entry: Entry
    target: str
    target_url: str
    ip: str

    def changes_text(self) -> str:
        return "；".join(f"{c.label}：{c.after}" if c.before == "—" else f"{c.label}：{c.before} → {c.after}"
                        for c in self.entry.changes)


def event_row(event: Event) -> EventRow:
    model = (ContentType.objects.get_for_id(event.target_type_id).model_class()
             if event.target_type_id else None)  # content types are cached: no query per row
    return EventRow(entry=entry(event, model), target=event.target_repr,
                    target_url=links.url_for_model(model, event.target_id), ip=event.ip or "")


def _export_rows(user, events: Iterable[Event]):
    for event in events:
        r = event_row(event)
        yield (formats.moment_text(r.entry.at), r.entry.who, r.entry.organization, r.entry.title,
               r.target, r.entry.note, r.changes_text(), r.ip)


HEADERS = ("时间", "操作人", "单位", "动作", "对象", "说明", "变更", "来源地址")

EVENT_EXPORTER = Exporter(
    kind="audit", title="审计记录", capability="audit.view", headers=HEADERS,
    queryset=lambda user, params: pages.filtered(
        EventFilterForm, params, lambda filters: event_list(user, filters)),
    rows=_export_rows,
)
