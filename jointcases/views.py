"""Joint case handling pages on the shared web layer (core.pages): the joint operations and
one operation from its plans and confirmations to its results (M6.1), and the guidance
tasks from the higher unit to the lower one (M6.2)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from core import formats, pages, policy
from deadlines.selectors import deadlines_for

from . import selectors, services
from .forms import (CaseLinkForm, ConsultationForm, OperationFilterForm, OperationForm, PlansForm,
                    ResultsForm, TaskFilterForm, TaskForm, TaskReportForm)
from .models import GuidanceTask, JointOperation, OperationStatus, Participant, TaskStatus
from .workflow import OPERATION_WORKFLOW, REPORT_RULE, TASK_WORKFLOW

VIEW = "joint.view"


def _participants_text(op: JointOperation) -> str:
    return "、".join(p.unit.name for p in op.participants.all())


class OperationList(pages.ListPage):
    capability = VIEW
    title = "联合执法"
    template_name = "jointcases/operation_list.html"
    filter_form = OperationFilterForm
    export_kind = "joint_operations"
    columns = (("行动名称", lambda o: o.title), ("执法领域", lambda o: o.get_field_display()),
               ("牵头部门", lambda o: o.lead.name), ("参加单位", _participants_text),
               ("计划时间", lambda o: f"{formats.date_text(o.starts_on)}至{formats.date_text(o.ends_on)}"),
               ("状态", lambda o: o.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.operation_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_lead": services.may_lead(request.user)}


class OperationNew(pages.FormPage):
    capability = "joint.lead"
    form_class = OperationForm
    title = "组织联合执法"
    success_message = "联合执法已登记，参加单位已收到确认邀请。请填写工作方案和应急预案。"

    def check(self, request, obj):
        services.may_lead.require(request.user)

    def get_form_kwargs(self, request, obj):
        return {"leads": policy.organizations_with(request.user, "joint.lead").filter(
            kind__in=services.PARTICIPANT_KINDS)}

    def save(self, request, form, obj):
        return services.operation_create(actor=request.user, **form.cleaned_data)


def _operation(request, pk) -> JointOperation:
    return selectors.operation_get(request.user, pk)


class OperationDetail(pages.DetailPage):
    capability = VIEW
    model = JointOperation
    template_name = "jointcases/operation_detail.html"
    workflow = OPERATION_WORKFLOW
    workflow_exclude = (OperationStatus.CLOSED,)
    transition_url_name = "jointcases:transition"
    fields = ("lead", "field", "scope", "starts_on", "ends_on", "status", "started_at", "created_by",
              "created_at", "closed_at")

    def get_object(self, request, pk):
        return _operation(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        participants = list(selectors.participants_of(obj))
        for p in participants:
            p.may_confirm = services.may_confirm(user, p)
        may_link = services.may_link_case(user, obj)
        return {
            "participants": participants,
            "consultations": selectors.consultations_of(obj),
            "cases": selectors.cases_of(user, obj),
            "linkable": selectors.linkable_cases(user, obj) if may_link else (),
            "may_edit_plans": services.may_edit_plans(user, obj),
            "may_consult": services.may_consult(user, obj),
            "may_link": may_link,
            "may_close": obj.status == OperationStatus.UNDER_WAY
            and policy.has_capability(user, "joint.lead", obj.lead),
        }


class OperationTransition(pages.TransitionView):
    workflow = OPERATION_WORKFLOW

    def get_object(self, request, pk):
        return _operation(request, pk)

    def transition(self, request, op, target, note):
        return services.operation_transition(actor=request.user, operation=op, target=target, note=note)


class PlansEdit(pages.FormPage):
    capability = "joint.lead"
    form_class = PlansForm
    title = "工作方案和应急预案"
    multipart = True
    success_message = "工作方案和应急预案已保存。"

    def get_object(self, request, pk: int):
        return _operation(request, pk)

    def check(self, request, op):
        services.may_edit_plans.require(request.user, op)

    def get_form_kwargs(self, request, op):
        return {"initial": {"work_plan": op.work_plan, "emergency_plan": op.emergency_plan}}

    def save(self, request, form, op):
        data = form.cleaned_data

        def upload(name):
            f = data[name]
            return (f, f.name, f.size) if f else None

        return services.operation_plans_save(
            actor=request.user, operation=op, work_plan=data["work_plan"],
            emergency_plan=data["emergency_plan"], work_plan_upload=upload("work_plan_file"),
            emergency_plan_upload=upload("emergency_plan_file"))


class ParticipantConfirm(pages.ActionView):
    success_message = "已确认参加。"

    def get_object(self, request, pk):
        return policy.access(request.user, Participant.objects.select_related(
            "operation", "operation__lead", "unit"), pk)

    def get_success_url(self, request, participant, result):
        return participant.get_absolute_url()

    def perform(self, request, participant, data):
        return services.participant_confirm(actor=request.user, participant=participant)


class ConsultationNew(pages.FormPage):
    capability = "joint.take_part"
    form_class = ConsultationForm
    title = "登记会商情况"
    success_message = "会商情况已登记。"

    def get_object(self, request, pk: int):
        return _operation(request, pk)

    def check(self, request, op):
        services.may_consult.require(request.user, op)

    def get_form_kwargs(self, request, op):
        return {"operation": op}

    def save(self, request, form, op):
        return services.consultation_record(actor=request.user, operation=op, **form.cleaned_data).operation


class CaseLink(pages.ActionView):
    form_class = CaseLinkForm
    invalid_message = "请选择要关联的案件。"
    success_message = "案件已关联。"

    def get_object(self, request, pk):
        return _operation(request, pk)

    def perform(self, request, op, data):
        case = selectors.linkable_cases(request.user, op).filter(pk=data["case"]).first()
        if case is None:
            raise ValidationError("只能关联本单位办理的案件（须是牵头部门或参加单位），且不能重复关联。")
        return services.operation_case_link(actor=request.user, operation=op, case=case)


class OperationClose(pages.FormPage):
    capability = "joint.lead"
    form_class = ResultsForm
    title = "结束联合执法"
    submit_label = "结束并保存成果"
    success_message = "联合执法已结束。"

    def get_object(self, request, pk: int):
        return _operation(request, pk)

    def check(self, request, op):
        policy.require(request.user, "joint.lead", op.lead)

    def save(self, request, form, op):
        return services.operation_close(actor=request.user, operation=op, results=form.cleaned_data["results"])


# --- guidance tasks (M6.2) -------------------------------------------------------------
class TaskList(pages.ListPage):
    capability = VIEW
    title = "督导任务"
    template_name = "jointcases/task_list.html"
    filter_form = TaskFilterForm
    export_kind = "guidance_tasks"
    columns = (("任务名称", lambda t: t.title), ("任务类别", lambda t: t.get_kind_display()),
               ("下达单位", lambda t: t.giver.name), ("承办单位", lambda t: t.receiver.name),
               ("反馈期限", lambda t: formats.due_text(t.due)), ("状态", lambda t: t.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.task_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_assign": services.may_assign(request.user)}


class TaskNew(pages.FormPage):
    capability = "guidance.assign"
    form_class = TaskForm
    title = "下达督导任务"
    success_message = "任务已下达，承办单位已收到通知。"

    def check(self, request, obj):
        services.may_assign.require(request.user)

    def get_form_kwargs(self, request, obj):
        givers = policy.organizations_with(request.user, "guidance.assign")
        lower = Q(pk__in=[])
        for giver in givers:
            lower |= Q(pk__in=selectors.receivers_for(giver).values("pk"))
        from core.models import Organization

        return {"givers": givers, "receivers": Organization.objects.filter(lower).order_by("kind", "name")}

    def save(self, request, form, obj):
        return services.guidance_task_assign(actor=request.user, **form.cleaned_data)


class TaskDetail(pages.DetailPage):
    capability = VIEW
    model = GuidanceTask
    template_name = "jointcases/task_detail.html"
    workflow = TASK_WORKFLOW
    workflow_exclude = (TaskStatus.REPORTED,)
    transition_url_name = "jointcases:task_transition"
    fields = ("giver", "receiver", "kind", "content", "due_on", "status", "report", "reported_by",
              "reported_at", "return_reason", "accepted_at", "created_by", "created_at")

    def get_object(self, request, pk):
        return selectors.task_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        return {"may_report": services.may_report(user, obj),
                "task_deadlines": deadlines_for(user, obj).filter(rule=REPORT_RULE).order_by("start")}


class TaskTransition(pages.TransitionView):
    workflow = TASK_WORKFLOW

    def get_object(self, request, pk):
        return selectors.task_get(request.user, pk)

    def transition(self, request, task, target, note):
        return services.guidance_task_transition(actor=request.user, task=task, target=target, note=note)


class TaskReport(pages.FormPage):
    capability = "guidance.report"
    form_class = TaskReportForm
    title = "反馈落实情况"
    submit_label = "提交反馈"
    success_message = "落实情况已反馈，待下达单位认可。"

    def get_object(self, request, pk: int):
        return selectors.task_get(request.user, pk)

    def check(self, request, task):
        services.may_report.require(request.user, task)

    def get_form_kwargs(self, request, task):
        return {"initial": {"report": task.report}}

    def save(self, request, form, task):
        return services.guidance_task_report(actor=request.user, task=task, report=form.cleaned_data["report"])
