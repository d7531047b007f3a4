"""Training pages on the shared web layer (core.pages): the sessions, a session with its
attendees (picked, or imported from Excel with a row-by-row report), and the hours per
unit and per officer against the yearly target (W1)."""
from __future__ import annotations

from django.utils import timezone

from core import formats, pages, policy

from . import selectors, services
from .forms import AttendeesForm, HoursFilterForm, ImportForm, SessionFilterForm, SessionForm
from .models import Attendance, TrainingSession

VIEW = "training.view"


class SessionList(pages.ListPage):
    capability = VIEW
    title = "执法培训"
    template_name = "training/session_list.html"
    filter_form = SessionFilterForm
    export_kind = "training_sessions"
    columns = (("培训名称", lambda s: s.title), ("培训内容", lambda s: s.get_topic_display()),
               ("举办单位", lambda s: s.organizer.name), ("培训日期", lambda s: formats.date_text(s.held_on)),
               ("学时", lambda s: s.hours), ("授课人", lambda s: s.trainer), ("参训人数", lambda s: s.attendee_count))

    def get_queryset(self, request, filters):
        return selectors.session_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_record": services.may_record(request.user)}


class SessionNew(pages.FormPage):
    capability = "training.record"
    form_class = SessionForm
    title = "登记执法培训"
    success_message = "培训已登记，请添加参训人员。"

    def get_form_kwargs(self, request, obj):
        return {"organizers": policy.organizations_with(request.user, "training.record").order_by("name")}

    def save(self, request, form, obj):
        return services.training_session_create(actor=request.user, **form.cleaned_data)


def _session(request, pk) -> TrainingSession:
    return selectors.session_get(request.user, pk)


class SessionDetail(pages.DetailPage):
    capability = VIEW
    model = TrainingSession
    template_name = "training/session_detail.html"
    fields = ("organizer", "topic", "held_on", "hours", "trainer", "place", "created_by", "created_at")

    def get_object(self, request, pk):
        return _session(request, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"attendees": selectors.attendees_of(request.user, obj),
                "may_record": services.may_record(request.user, obj.organizer)}


class _SessionForm(pages.FormPage):
    capability = "training.record"

    def get_object(self, request, pk):
        return _session(request, pk)

    def check(self, request, session):
        services.may_record.require(request.user, session.organizer)

    def get_success_url(self, request, created):
        return created[0].get_absolute_url()  # the services refuse an empty list


class AttendeesAdd(_SessionForm):
    form_class = AttendeesForm
    title = "添加参训人员"
    submit_label = "添加"
    success_message = staticmethod(lambda created: f"已添加参训人员 {len(created)} 人。")

    def get_form_kwargs(self, request, session):
        return {"people": selectors.attendee_choices(request.user, session.organizer)}

    def save(self, request, form, session):
        return services.training_attendees_add(actor=request.user, session=session,
                                               people=form.cleaned_data["attendees"])


class AttendeesImport(_SessionForm):
    form_class = ImportForm
    title = "从 Excel 导入参训人员"
    submit_label = "导入"
    multipart = True
    success_message = staticmethod(lambda created: f"已导入参训人员 {len(created)} 人。")

    def save(self, request, form, session):
        return services.training_attendees_import(actor=request.user, session=session,
                                                  fileobj=form.cleaned_data["file"])


class AttendeeRemove(pages.ActionView):
    success_message = "已删除该参训人员。"

    def get_object(self, request, pk):
        return policy.access(request.user, Attendance.objects.select_related("session", "session__organizer",
                                                                             "person"), pk)

    def get_success_url(self, request, attendance, result):
        return attendance.get_absolute_url()

    def perform(self, request, attendance, data):
        return services.training_attendee_remove(actor=request.user, attendance=attendance)


def _year(filters: dict) -> int:
    return filters.get("year") or timezone.localdate().year


class HoursList(pages.ListPage):
    capability = VIEW
    title = "培训学时统计"
    template_name = "training/hours.html"
    filter_form = HoursFilterForm
    export_kind = "training_hours"
    # Rows are drawn by the template (an officer has no page of his own to link to).

    def get_queryset(self, request, filters):
        self._year = _year(filters)
        return selectors.officer_hours(request.user, filters)

    def extra_context(self, request, **kwargs):
        year = getattr(self, "_year", timezone.localdate().year)
        return {"year": year, "target": selectors.target_hours(), "officers": [
                    (m, max(selectors.target_hours() - m.hours, 0)) for m in kwargs["page"]],
                "units": selectors.unit_hours(request.user, year)}
