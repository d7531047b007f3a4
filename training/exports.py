"""The training lists as Excel (core.exports): the sessions (one row per attendee) and the
officers' hours, with the lists' filters and scope."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import HoursFilterForm, SessionFilterForm


def _session_rows(user, sessions):
    for s in sessions:
        yield (s.title, s.get_topic_display(), s.organizer.name, s.held_on, s.hours, s.trainer, s.place,
               s.attendee_count)


def _hours_rows(user, members):
    target = selectors.target_hours()
    for m in members:
        yield (m.user.display_name, m.user.certificate_no, m.organization.name, m.hours,
               max(target - m.hours, 0))


EXPORTERS = (
    Exporter(kind="training_sessions", title="执法培训台账", capability="training.view",
             headers=("培训名称", "培训内容", "举办单位", "培训日期", "学时", "授课人", "地点", "参训人数"),
             queryset=lambda user, params: filtered(SessionFilterForm, params,
                                                    lambda f: selectors.session_list(user, f)),
             rows=_session_rows),
    Exporter(kind="training_hours", title="培训学时统计", capability="training.view",
             headers=("姓名", "执法证号", "单位", "年度学时", "尚差学时"),
             queryset=lambda user, params: filtered(HoursFilterForm, params,
                                                    lambda f: selectors.officer_hours(user, f)),
             rows=_hours_rows),
)
