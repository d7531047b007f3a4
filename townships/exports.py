"""The township lists' columns, shared by each list page and its Excel export
(core.exports, at the list's own address with ``?export=xlsx``): the export has the
list's columns and then the full texts."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from django.utils.text import Truncator

from core import exports, pages
from core.formats import moment_text

from . import forms, selectors
from .models import (
    Consultation,
    Dissuasion,
    InfoNotice,
)

Column = tuple[str, Callable[[Any], Any]]


def _short(text: str) -> str:
    return Truncator(text).chars(40)


def _name(org) -> str:
    return org.short_name if org is not None else ""


def _names(orgs) -> str:
    return "、".join(o.short_name for o in orgs.all())


TRANSFER_COLUMNS: tuple[Column, ...] = (
    ("事由", lambda t: t.subject),
    ("紧急", lambda t: "紧急" if t.is_urgent else ""),
    ("移送单位", lambda t: _name(t.sender)),
    ("接收单位", lambda t: _name(t.receiver)),
    ("发现时间", lambda t: moment_text(t.discovered_at)),
    ("状态", lambda t: t.get_status_display()),
)
DISSUASION_COLUMNS: tuple[Column, ...] = (
    ("地点", lambda d: d.location),
    ("劝阻时间", lambda d: moment_text(d.dissuaded_at)),
    ("劝阻单位", lambda d: _name(d.township)),
    ("主管部门", lambda d: _name(d.competent)),
    ("后续移送", lambda d: "已移送" if d.transfer_id else "未移送"),
)
CONSULTATION_COLUMNS: tuple[Column, ...] = (
    ("议题", lambda c: c.subject),
    ("类别", lambda c: c.get_kind_display()),
    ("问题类型", lambda c: c.get_topic_display()),
    ("发起单位", lambda c: _name(c.initiator)),
    ("会商时间", lambda c: moment_text(c.meeting_at)),
    ("办结时间", lambda c: moment_text(c.concluded_at)),
)
INFO_NOTICE_COLUMNS: tuple[Column, ...] = (
    ("标题", lambda n: n.title),
    ("通报单位", lambda n: _name(n.sender)),
    ("发布时间", lambda n: moment_text(n.created_at)),
)


# The full texts after the list's columns: (header, fn(user, row)).
UserColumn = tuple[str, Callable[[Any, Any], Any]]
TRANSFER_DETAILS: tuple[UserColumn, ...] = (
    ("基本事实书面说明", lambda u, t: t.basic_facts),
    ("移送理由", lambda u, t: t.reason),
    ("移送时间", lambda u, t: moment_text(t.sent_at)),
)
DISSUASION_DETAILS: tuple[UserColumn, ...] = (
    ("正在实施的违法行为", lambda u, d: d.violation),
    ("现场劝阻情况", lambda u, d: d.measures),
    ("告知主管部门时间", lambda u, d: moment_text(d.notified_at)),
)
CONSULTATION_DETAILS: tuple[UserColumn, ...] = (
    ("参加单位", lambda u, c: _names(c.participants)),
    ("情况说明", lambda u, c: c.content),
    ("会商意见或处置结果", lambda u, c: c.conclusion),
)
INFO_NOTICE_DETAILS: tuple[UserColumn, ...] = (
    ("接收单位", lambda u, n: _names(n.recipients)),
    ("内容", lambda u, n: n.body),
)


def _exporter(kind: str, title: str, filter_form, rows: Callable, columns, details,
              prefetch: tuple[str, ...] = ()) -> exports.Exporter:
    def queryset(user, params):
        return pages.filtered(filter_form, params, lambda f: rows(user, f)).prefetch_related(*prefetch)

    def cells(user, objects: Iterable) -> Iterable[list]:
        for obj in objects:
            yield [fn(obj) for _h, fn in columns] + [fn(user, obj) for _h, fn in details]

    return exports.Exporter(kind=kind, title=title, capability="cooperation.export",
                            headers=[h for h, _fn in (*columns, *details)],
                            queryset=queryset, rows=cells)


def _records(model):
    return lambda user, filters: selectors.records(user, model, filters)


EXPORTERS = (
    _exporter("township_transfers", "乡镇街道相互移送台账", forms.TownshipTransferFilterForm,
              selectors.township_transfers, TRANSFER_COLUMNS, TRANSFER_DETAILS),
    _exporter("township_dissuasions", "现场劝阻台账", forms.DissuasionFilterForm,
              _records(Dissuasion), DISSUASION_COLUMNS, DISSUASION_DETAILS),
    _exporter("township_consultations", "会商与联合处置台账", forms.ConsultationFilterForm,
              _records(Consultation), CONSULTATION_COLUMNS, CONSULTATION_DETAILS,
              prefetch=("participants",)),
    _exporter("township_info_notices", "信息通报台账", forms.InfoNoticeFilterForm,
              _records(InfoNotice), INFO_NOTICE_COLUMNS, INFO_NOTICE_DETAILS,
              prefetch=("recipients",)),
)


def register_exporters() -> None:
    for exporter in EXPORTERS:
        exports.register(exporter)
