"""Joint-meeting pages on the shared web layer (core.pages): the meetings list with the two
bodies, a body with its members and liaisons, a meeting from preparation to minutes, the
proposals, the liaison roster and the ledger of agreed matters with each department's
report."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from core import formats, pages, policy
from core.timeline import timeline_for
from deadlines.selectors import deadlines_for

from . import selectors, services
from .forms import (AgendaForm, AgendaRemoveForm, HeldForm, LiaisonFilterForm, LiaisonForm,
                    MeetingFilterForm, MeetingForm, ProposalAcceptForm, ProposalFilterForm,
                    ProposalForm, ReportForm, ResolutionFilterForm, ResolutionForm, SendBackForm)
from .models import (AssignmentStatus, JointBody, Meeting, MeetingProposal, MeetingStatus,
                     ProposalStatus, Resolution)
from .workflow import ASSIGNMENT_WORKFLOW, MEETING_WORKFLOW, PROPOSAL_WORKFLOW

VIEW = "meeting.view"


# --- bodies ----------------------------------------------------------------------------
class BodyDetail(pages.DetailPage):
    capability = VIEW
    model = JointBody
    template_name = "meetings/body_detail.html"
    fields = ("kind", "convener")

    def get_queryset(self, request):
        return JointBody.objects.select_related("convener")

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        return {
            "members": selectors.member_rows(obj),
            "missing": selectors.members_without_liaison(obj),
            "meetings": selectors.meeting_list(user, {"body": obj})[:10],
            "duty": deadlines_for(user, obj.convener).filter(rule=obj.regular_rule).order_by("-due")[:4],
            "may_convene": services.may_convene(user, obj),
            "may_propose": services.may_propose(user, obj),
            "may_name_liaison": services.may_name_liaison(user, obj),
        }


class _ForMemberUnit(pages.FormPage):
    """A form a member unit of a body fills in (its liaison, its proposal): offered for
    the member units the user acts for with the page's ``capability``, as ``predicate``
    (the service's own rule) allows."""

    predicate: policy.Predicate

    def get_object(self, request, body_id: int):
        return selectors.body_get(request.user, body_id)

    def check(self, request, body):
        self.predicate.require(request.user, body)

    def get_form_kwargs(self, request, body):
        return {"units": selectors.member_units_for(request.user, body, self.capability)}


class LiaisonName(_ForMemberUnit):
    capability = "meeting.liaison"
    form_class = LiaisonForm
    title = "确定联络员"
    predicate = services.may_name_liaison
    success_message = staticmethod(lambda liaison: f"已确定{liaison.unit.name}的联络员。")

    def save(self, request, form, body):
        data = form.cleaned_data
        return services.liaison_name(actor=request.user, body=body, unit=data["unit"],
                                     person=data["person"], post=data["post"], phone=data["phone"])


class LiaisonList(pages.ListPage):
    capability = VIEW
    title = "联络员名册"
    filter_form = LiaisonFilterForm
    export_kind = "meeting_liaisons"
    columns = (("成员单位", lambda li: li.unit.name), ("联席会议", lambda li: li.body),
               ("联络员", lambda li: li.person), ("职务", lambda li: li.post),
               ("联系电话", lambda li: li.phone), ("确定时间", lambda li: formats.moment_text(li.named_at)))

    def get_queryset(self, request, filters):
        return selectors.liaison_list(request.user, filters)


# --- proposals -------------------------------------------------------------------------
class ProposalNew(_ForMemberUnit):
    capability = "meeting.propose"
    form_class = ProposalForm
    title = "提议召开临时会议"
    submit_label = "提交提议"
    success_message = "提议已提交召集单位。"
    predicate = services.may_propose

    def save(self, request, form, body):
        data = form.cleaned_data
        return services.proposal_submit(actor=request.user, body=body, proposer=data["proposer"],
                                        subject=data["subject"], reason=data["reason"])


class ProposalList(pages.ListPage):
    capability = VIEW
    title = "临时会议提议"
    filter_form = ProposalFilterForm
    export_kind = "meeting_proposals"
    columns = (("拟议事项", lambda p: p.subject), ("联席会议", lambda p: p.body),
               ("提议单位", lambda p: p.proposer.name), ("提议时间", lambda p: formats.moment_text(p.created_at)),
               ("状态", lambda p: p.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.proposal_list(request.user, filters)


class ProposalDetail(pages.DetailPage):
    capability = VIEW
    model = MeetingProposal
    template_name = "meetings/proposal_detail.html"
    workflow = PROPOSAL_WORKFLOW
    workflow_exclude = (ProposalStatus.ACCEPTED,)
    transition_url_name = "meetings:proposal_transition"
    fields = ("body", "proposer", "subject", "reason", "created_by", "created_at", "status",
              "decline_reason")

    def get_object(self, request, pk):
        return selectors.proposal_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"may_accept": obj.status == ProposalStatus.PROPOSED
                and services.may_convene(request.user, obj.body),
                "meeting": getattr(obj, "meeting", None)}


class ProposalTransition(pages.TransitionView):
    workflow = PROPOSAL_WORKFLOW

    def get_object(self, request, pk):
        return selectors.proposal_get(request.user, pk)

    def transition(self, request, proposal, target, note):
        if target != ProposalStatus.DECLINED:
            raise ValidationError("同意召开须填写会议的召开时间和地点。")
        return services.proposal_decline(actor=request.user, proposal=proposal, reason=note)


class ProposalAccept(pages.FormPage):
    capability = "meeting.convene"
    form_class = ProposalAcceptForm
    title = "同意召开临时会议"
    submit_label = "同意并安排会议"
    success_message = "已同意召开临时会议，请列出议题后发出通知。"

    def get_object(self, request, pk: int):
        return selectors.proposal_get(request.user, pk)

    def check(self, request, proposal):
        services.may_convene.require(request.user, proposal.body)

    def save(self, request, form, proposal):
        return services.proposal_accept(actor=request.user, proposal=proposal, **form.cleaned_data)


# --- meetings --------------------------------------------------------------------------
class MeetingList(pages.ListPage):
    capability = VIEW
    title = "联席会议"
    template_name = "meetings/meeting_list.html"
    filter_form = MeetingFilterForm
    export_kind = "meetings"
    columns = (("会议名称", lambda m: m.title), ("联席会议", lambda m: m.body),
               ("类别", lambda m: m.get_kind_display()), ("召开时间", lambda m: formats.moment_text(m.starts_at)),
               ("地点", lambda m: m.place), ("状态", lambda m: m.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.meeting_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"bodies": selectors.body_list(request.user)}


class MeetingNew(pages.FormPage):
    capability = "meeting.convene"
    form_class = MeetingForm
    title = "安排会议"
    success_message = "会议已安排，请列出议题后发出通知。"

    def get_object(self, request, body_id: int):
        return selectors.body_get(request.user, body_id)

    def check(self, request, body):
        services.may_convene.require(request.user, body)

    def save(self, request, form, body):
        return services.meeting_create(actor=request.user, body=body, **form.cleaned_data)


def _meeting(request, pk) -> Meeting:
    return selectors.meeting_get(request.user, pk)


class MeetingDetail(pages.DetailPage):
    capability = VIEW
    model = Meeting
    template_name = "meetings/meeting_detail.html"
    workflow = MEETING_WORKFLOW
    workflow_exclude = (MeetingStatus.HELD,)
    transition_url_name = "meetings:transition"
    fields = ("body", "kind", "proposal", "starts_at", "place", "status", "notified_at", "held_at",
              "summary")

    def get_object(self, request, pk):
        return _meeting(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        return {
            "agenda": obj.agenda.all(),
            "agenda_form": AgendaForm(body_kind=obj.body.kind),
            "attended": obj.attended.order_by("kind", "name"),
            "minutes": obj.minutes,
            "resolutions": selectors.resolution_list(user, {"meeting": obj.pk}),
            "may_edit_agenda": services.may_edit_agenda(user, obj),
            "may_record_held": services.may_record_held(user, obj),
            "may_assign": services.may_assign(user, obj),
        }


class MeetingTransition(pages.TransitionView):
    workflow = MEETING_WORKFLOW

    def get_object(self, request, pk):
        return _meeting(request, pk)

    def transition(self, request, meeting, target, note):
        return services.meeting_transition(actor=request.user, meeting=meeting, target=target,
                                           note=note)


class AgendaAdd(pages.ActionView):
    form_class = AgendaForm
    invalid_message = "请选择议题类别并填写议题。"
    success_message = "已列入议题。"

    def get_object(self, request, pk):
        return _meeting(request, pk)

    def perform(self, request, meeting, data):
        return services.agenda_add(actor=request.user, meeting=meeting, topic=data["topic"],
                                   title=data["title"])


class AgendaRemove(pages.ActionView):
    form_class = AgendaRemoveForm
    success_message = "已删除该议题。"

    def get_object(self, request, pk):
        return _meeting(request, pk)

    def perform(self, request, meeting, data):
        item = meeting.agenda.filter(pk=data["item"]).first()
        if item is None:
            raise ValidationError("该议题已删除。")
        return services.agenda_remove(actor=request.user, item=item)


class MeetingHeld(pages.FormPage):
    capability = "meeting.convene"
    form_class = HeldForm
    title = "登记会议召开情况"
    multipart = True
    success_message = "已登记会议召开情况。"

    def get_object(self, request, pk: int):
        return _meeting(request, pk)

    def check(self, request, meeting):
        services.may_record_held.require(request.user, meeting)

    def get_form_kwargs(self, request, meeting):
        return {"meeting": meeting}

    def save(self, request, form, meeting):
        data = form.cleaned_data
        f = data["minutes"]
        return services.meeting_record_held(
            actor=request.user, meeting=meeting, held_at=data["held_at"], attended=data["attended"],
            summary=data["summary"], minutes=f, minutes_name=f.name, minutes_size=f.size)


# --- agreed matters --------------------------------------------------------------------
class ResolutionNew(pages.FormPage):
    capability = "meeting.convene"
    form_class = ResolutionForm
    title = "登记议定事项"
    success_message = "议定事项已交办，责任单位已收到通知。"

    def get_object(self, request, pk: int):
        return _meeting(request, pk)

    def check(self, request, meeting):
        services.may_assign.require(request.user, meeting)

    def get_form_kwargs(self, request, meeting):
        return {"meeting": meeting}

    def save(self, request, form, meeting):
        return services.resolution_create(actor=request.user, meeting=meeting, **form.cleaned_data)


def _departments(resolution: Resolution) -> str:
    return "、".join(a.department.name for a in resolution.assignments.all())


class ResolutionList(pages.ListPage):
    capability = VIEW
    title = "议定事项台账"
    filter_form = ResolutionFilterForm
    export_kind = "meeting_resolutions"
    columns = (("议定事项", lambda r: r.title), ("会议", lambda r: r.meeting),
               ("责任单位", _departments), ("反馈期限", lambda r: formats.due_text(r.due)),
               ("状态", lambda r: r.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.resolution_list(request.user, filters)


class ResolutionDetail(pages.DetailPage):
    capability = VIEW
    model = Resolution
    template_name = "meetings/resolution_detail.html"
    fields = ("meeting", "content", "due_on", "status", "created_by", "created_at", "closed_at")

    def get_object(self, request, pk):
        return selectors.resolution_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        parts = list(selectors.assignments_of(obj))
        for a in parts:
            a.actions = ASSIGNMENT_WORKFLOW.actions(a, user, exclude=(AssignmentStatus.REPORTED,
                                                                     AssignmentStatus.RETURNED))
            a.files = selectors.files_of(user, a)
            a.timeline = timeline_for(a)
            a.may_report = services.may_report(user, a)
            a.may_send_back = (a.status == AssignmentStatus.REPORTED
                               and services.may_convene(user, obj.meeting.body))
        return {"assignments": parts, "send_back_form": SendBackForm()}


def _assignment(request, pk):
    return selectors.assignment_get(request.user, pk)


class AssignmentReport(pages.FormPage):
    capability = "meeting.report"
    form_class = ReportForm
    title = "反馈落实情况"
    submit_label = "提交反馈"
    multipart = True
    success_message = "落实情况已反馈，待召集单位认可。"

    def get_object(self, request, pk: int):
        return _assignment(request, pk)

    def check(self, request, assignment):
        services.may_report.require(request.user, assignment)

    def get_form_kwargs(self, request, assignment):
        return {"initial": {"report": assignment.report}}

    def save(self, request, form, assignment):
        f = form.cleaned_data["file"]
        return services.assignment_report(actor=request.user, assignment=assignment,
                                          report=form.cleaned_data["report"],
                                          files=[(f, f.name, f.size)] if f else ())


class AssignmentTransition(pages.TransitionView):
    workflow = ASSIGNMENT_WORKFLOW

    def get_object(self, request, pk):
        return _assignment(request, pk)

    def transition(self, request, assignment, target, note):
        if target != AssignmentStatus.ACCEPTED:
            raise ValidationError("请通过相应表单办理。")
        return services.assignment_accept(actor=request.user, assignment=assignment)


class AssignmentSendBack(pages.ActionView):
    form_class = SendBackForm
    invalid_message = "退回须填写理由，新的反馈期限须是有效日期。"
    success_message = "已退回，责任单位须重新反馈。"

    def get_object(self, request, pk):
        return _assignment(request, pk)

    def perform(self, request, assignment, data):
        return services.assignment_send_back(actor=request.user, assignment=assignment,
                                             reason=data["reason"], new_due_on=data["new_due_on"])

