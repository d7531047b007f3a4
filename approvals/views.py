"""Approval–supervision pages on the shared web layer (core.pages): the decisions (the
approval bureau's with what waits for a route, each department's to claim), a decision
with its claim and supervision records, the import with its row-by-row report, the
routing table, and the M14.4 non-cooperation list."""
from __future__ import annotations

import io
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from core import formats, pages, policy

from . import intake, selectors, services
from .exports import Rows
from .forms import (DecisionFilterForm, ImportForm, NonCooperationFilterForm, RouteFilterForm,
                    RouteForm, SupervisionForm)
from .models import Decision, DecisionStatus
from .workflow import CLAIM_RULE, DECISION_WORKFLOW, FEEDBACK_RULE

VIEW = "approval.view"


class DecisionList(pages.ListPage):
    capability = VIEW
    title = "审批决定"
    template_name = "approvals/decision_list.html"
    filter_form = DecisionFilterForm
    export_kind = "approval_decisions"
    columns = (("审批决定文号", lambda d: d.number), ("审批事项类型", lambda d: d.item_type),
               ("申请人", lambda d: d.applicant), ("决定日期", lambda d: formats.date_text(d.decided_on)),
               ("对口监管部门", lambda d: d.department.name if d.department else "（未匹配）"),
               ("状态", lambda d: d.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.decision_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        user = request.user
        manages = services.may_manage(user)
        return {"may_manage": manages,
                "unrouted": selectors.unrouted_types(user) if manages or policy.sees_all(user) else [],
                "may_oversee": policy.may_open(user, "approval.oversee"),
                "linkage_body": _linkage_body(user)}


def _linkage_body(user):
    """The approval–supervision joint meeting (M14.1, in meetings/), when the user sees it."""
    from meetings.models import BodyKind
    from meetings.selectors import body_list

    if not policy.may_open(user, "meeting.view"):
        return None
    return body_list(user).filter(kind=BodyKind.APPROVAL).first()


class DecisionDetail(pages.DetailPage):
    capability = VIEW
    model = Decision
    template_name = "approvals/decision_detail.html"
    workflow = DECISION_WORKFLOW
    # Pushing follows the routing table (route_save); feeding back is the supervision form.
    workflow_exclude = (DecisionStatus.PUSHED, DecisionStatus.FED_BACK)
    transition_url_name = "approvals:transition"
    fields = ("number", "item_type", "item_name", "applicant", "credit_code", "address",
              "decided_on", "valid_until", "content", "bureau", "source", "created_at",
              "department", "pushed_at", "claimed_by", "claimed_at")

    def get_object(self, request, pk):
        return selectors.decision_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        from deadlines.selectors import deadlines_for

        user = request.user
        return {
            "records": selectors.records_of(obj),
            "may_record": services.may_record_supervision(user, obj),
            "may_route": obj.status == DecisionStatus.UNROUTED and services.may_manage(user),
            "decision_deadlines": deadlines_for(user, obj).filter(
                rule__in=[CLAIM_RULE, FEEDBACK_RULE]).order_by("start"),
        }


class DecisionTransition(pages.TransitionView):
    workflow = DECISION_WORKFLOW

    def get_object(self, request, pk):
        return selectors.decision_get(request.user, pk)

    def transition(self, request, decision, target, note):
        if target == DecisionStatus.CLAIMED:
            return services.decision_claim(actor=request.user, decision=decision)
        if target == DecisionStatus.PUSHED:
            raise ValidationError("请在审批监管路由表中为该审批事项类型指定对口监管部门，即自动推送。")
        raise ValidationError("请通过“登记监管情况”反馈。")


class SupervisionNew(pages.FormPage):
    capability = "approval.claim"
    form_class = SupervisionForm
    title = "登记事中事后监管情况"
    success_message = "监管情况已登记，审批局可即时查看。"

    def get_object(self, request, pk: int):
        return selectors.decision_get(request.user, pk)

    def check(self, request, decision):
        services.may_record_supervision.require(request.user, decision)

    def get_form_kwargs(self, request, decision):
        return {"cases": selectors.department_cases(decision)}

    def save(self, request, form, decision):
        record = services.supervision_record(actor=request.user, decision=decision, **form.cleaned_data)
        return record.decision


class DecisionImport(pages.FormPage):
    capability = "approval.manage"
    form_class = ImportForm
    title = "导入审批决定"
    template_name = "approvals/import.html"
    submit_label = "校验并导入"
    multipart = True
    report: list | None = None

    def check(self, request, obj):
        services.may_manage.require(request.user)

    def save(self, request, form, obj):
        f = form.cleaned_data["file"]
        try:
            self.received = services.decisions_import(actor=request.user, fileobj=f, name=f.name)
        except services.DecisionsRejected as rejected:
            self.report = rejected.problems
            raise ValidationError({"file": f"文件有 {len(rejected.problems)} 处错误，未导入任何记录，"
                                           "请按校验报告修改后重新导入。"}) from None
        return self.received

    def get_success_url(self, request, result):
        return "/approvals/?state=unrouted" if result.unrouted else "/approvals/"

    def success_message(self, result) -> str:  # noqa: D401 (the page's message)
        text = f"已导入审批决定 {result.created} 件"
        if result.existing:
            text += f"，{result.existing} 件此前已接收（未重复导入）"
        if result.unrouted:
            text += f"，其中 {result.unrouted} 件未匹配监管部门，请在路由表中指定"
        return text + "。"

    def extra_context(self, request, **kwargs):
        return {"report": self.report, "columns": intake.COLUMNS}


class ImportTemplate(pages.Page):
    """The import's template: the headers and one example row, as .xlsx."""

    capability = "approval.manage"

    def get(self, request) -> HttpResponse:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "审批决定"
        sheet.append(intake.template_headers())
        sheet.append(["北审批食经〔2026〕1号", "食品经营许可", "食品经营许可证核发", "北戴河区某某餐饮店",
                      "92130304MA0XXXXX1A", "北戴河区海宁路1号", "2026-04-09", "2031-04-08", "准予许可"])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('审批决定导入模板.xlsx')}"
        return response


# --- the routing table -----------------------------------------------------------------
class RouteList(pages.ListPage):
    capability = VIEW
    title = "审批监管路由表"
    template_name = "approvals/route_list.html"
    filter_form = RouteFilterForm
    export_kind = "approval_routes"
    columns = (("审批事项类型", lambda r: r.item_type), ("对口监管部门", lambda r: r.department.name),
               ("说明", lambda r: r.note), ("维护时间", lambda r: formats.moment_text(r.updated_at)))

    def get_queryset(self, request, filters):
        return selectors.route_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_manage": services.may_manage(request.user)}


class RouteNew(pages.FormPage):
    capability = "approval.manage"
    form_class = RouteForm
    title = "新增路由"
    success_message = "路由已保存，该类型未匹配的审批决定已推送对口监管部门。"

    def check(self, request, obj):
        services.may_manage.require(request.user)

    def get_form_kwargs(self, request, obj):
        return {"initial": {"item_type": request.GET.get("item_type", "")}}

    def get_success_url(self, request, result):
        return "/approvals/routes/"

    def cancel_url(self, request, obj):
        return "/approvals/routes/"

    def save(self, request, form, obj):
        return services.route_save(actor=request.user, **form.cleaned_data)


class RouteEdit(RouteNew):
    title = "修改路由"

    def get_object(self, request, pk: int):
        return selectors.route_get(request.user, pk)

    def get_form_kwargs(self, request, route):
        return {"initial": {"item_type": route.item_type, "department": route.department,
                            "note": route.note}}

    def save(self, request, form, route):
        return services.route_save(actor=request.user, route=route, **form.cleaned_data)


class RouteRemove(pages.ActionView):
    success_message = "已从路由表中删除。"

    def get_object(self, request, pk):
        return selectors.route_get(request.user, pk)

    def get_success_url(self, request, obj, result):
        return "/approvals/routes/"

    def perform(self, request, route, data):
        return services.route_remove(actor=request.user, route=route)


# --- M14.4 -----------------------------------------------------------------------------
class _Row:
    def __init__(self, row: selectors.NonCooperation):
        self.row = row

    def get_absolute_url(self) -> str:
        return self.row.url


class NonCooperationList(pages.ListPage):
    capability = "approval.oversee"
    title = "审批监管不配合情形"
    template_name = "approvals/non_cooperation.html"
    filter_form = NonCooperationFilterForm
    export_kind = "approval_non_cooperation"
    columns = (("事项", lambda r: r.row.subject), ("情形", lambda r: r.row.kind_label),
               ("责任单位", lambda r: r.row.department.name), ("缺失内容", lambda r: r.row.missing),
               ("期限", lambda r: formats.due_text(r.row.due)))

    def get_queryset(self, request, filters):
        return Rows(_Row(r) for r in selectors.non_cooperation(request.user, filters))
