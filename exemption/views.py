"""Duty-performance exemption pages on the shared web layer (core.pages): the interference
records (list, record, correct, read — never edit or delete), and on a proceeding's page
the claim of lawful performance with its decision."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from accountability import selectors as accountability_selectors
from cases.models import EnforcementCase
from core import formats, pages, policy

from . import selectors, services
from .forms import ClaimForm, CorrectionForm, DecideForm, InterferenceFilterForm, InterferenceForm
from .models import ExemptionClaim, InterferenceRecord
from .workflow import CLAIM_WORKFLOW

VIEW = "interference.view"


class RecordList(pages.ListPage):
    capability = VIEW
    title = "干预执法活动记录"
    filter_form = InterferenceFilterForm
    export_kind = "interference_records"
    template_name = "exemption/record_list.html"
    columns = (("编号", lambda r: r.seq), ("干预时间", lambda r: formats.moment_text(r.occurred_at)),
               ("干预人", lambda r: f"{r.interferer_name}（{r.interferer_unit}{r.interferer_position}）"),
               ("干预类别", lambda r: r.get_kind_display()),
               ("涉及案件", lambda r: r.case.number if r.case else ""),
               ("是否拒绝", lambda r: "是" if r.refused else "否"),
               ("记录人", lambda r: f"{r.recorded_by}（{r.unit.short_name}）"),
               ("更正", lambda r: f"更正第{r.corrects.seq}号" if r.corrects else ""))

    def get_queryset(self, request, filters):
        return selectors.record_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_record": services.may_record(request.user)}


def _fields(data: dict, user) -> dict:
    """The service's arguments from the record form."""
    number = data.get("case_number", "").strip()
    case = None
    if number:
        case = policy.visible_to(user, EnforcementCase).filter(number=number).first()
        if case is None:
            raise ValidationError({"case_number": "未找到该编号的案件，或您无权查看。"})
    files = data.get("files") or []
    return {
        "unit": data["unit"], "kind": data["kind"], "interferer_name": data["interferer_name"],
        "interferer_unit": data["interferer_unit"], "interferer_position": data["interferer_position"],
        "interferer_org": data["interferer_org"], "method": data["method"],
        "occurred_at": data["occurred_at"], "demand": data["demand"], "refused": data["refused"],
        "response": data["response"], "case": case,
        "files": [(f, f.name, f.size) for f in files],
    }


class RecordNew(pages.FormPage):
    capability = "interference.record"
    form_class = InterferenceForm
    title = "记录干预执法活动情况"
    submit_label = "存档"
    multipart = True
    template_name = "exemption/record_form.html"
    success_message = "已存档。记录不能修改或删除，如有错误请作更正记录。"

    def check(self, request, obj):
        services.may_record.require(request.user)

    def get_form_kwargs(self, request, obj):
        return {"user": request.user}

    def save(self, request, form, obj):
        return services.interference_record(actor=request.user, **_fields(form.cleaned_data,
                                                                          request.user))


class RecordCorrect(RecordNew):
    form_class = CorrectionForm
    title = "更正干预记录"
    submit_label = "存档更正记录"
    success_message = "更正记录已存档，与原记录关联。"

    def get_object(self, request, pk: int):
        return selectors.record_get(request.user, pk)

    def check(self, request, record):
        services.may_correct.require(request.user, record)

    def get_form_kwargs(self, request, record):
        initial = {name: getattr(record, name) for name in (
            "unit", "kind", "interferer_name", "interferer_unit", "interferer_position",
            "interferer_org", "method", "demand", "response")}
        initial.update(occurred_at=record.occurred_at,
                       refused="yes" if record.refused else "no",
                       case_number=record.case.number if record.case else "")
        return {"user": request.user, "initial": initial}

    def extra_context(self, request, obj=None, **kwargs):
        return {"original": obj}

    def save(self, request, form, record):
        return services.interference_record(
            actor=request.user, corrects=record,
            correction_reason=form.cleaned_data["correction_reason"],
            **_fields(form.cleaned_data, request.user))


class RecordDetail(pages.DetailPage):
    capability = VIEW
    model = InterferenceRecord
    template_name = "exemption/record_detail.html"
    fields = ("kind", "interferer_name", "interferer_unit", "interferer_position", "method",
              "occurred_at", "demand", "refused", "response", "case", "recorded_by", "unit",
              "created_at")

    def get_object(self, request, pk):
        return selectors.record_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        return {
            "files": selectors.files_of(user, obj),
            "corrections": selectors.corrections_of(user, obj),
            "original": (obj.corrects if obj.corrects_id and
                         selectors.records_visible(user).filter(pk=obj.corrects_id).exists()
                         else None),
            "may_correct": services.may_correct(user, obj),
        }


# --- exemption claims on a proceeding (M12.3) ------------------------------------------
def claim_panel_context(request, proceeding) -> dict | None:
    """The proceeding page's 依法履职免责 panel (registered in ExemptionConfig.ready())."""
    user = request.user
    claims = list(selectors.claims_of(user, proceeding))
    may_claim = services.may_claim(user, proceeding)
    for claim in claims:
        claim.may_decide = services.may_decide_claim(user, claim)
        claim.waiting = CLAIM_WORKFLOW.actions(claim, user).waiting
    if not claims and not may_claim:
        return None
    return {"claims": claims, "may_claim": may_claim}


class ClaimSubmit(pages.FormPage):
    capability = "accountability.claim"
    form_class = ClaimForm
    title = "依法履职免责申请"
    submit_label = "提交申请"
    success_message = "免责申请已提交，待本机关负责人决定。"
    template_name = "accountability/proceeding_form.html"

    def get_object(self, request, pk: int):
        return accountability_selectors.proceeding_get(request.user, pk)

    def check(self, request, proceeding):
        services.may_claim.require(request.user, proceeding)

    def get_form_kwargs(self, request, proceeding):
        return {"records": selectors.own_records(request.user)}

    def extra_context(self, request, obj=None, **kwargs):
        return {"proceeding": obj}

    def save(self, request, form, proceeding):
        data = form.cleaned_data
        services.exemption_claim_submit(actor=request.user, proceeding=proceeding,
                                        ground=data["ground"], statement=data["statement"],
                                        interference=data["interference"])
        return proceeding


class ClaimDecide(pages.FormPage):
    capability = "accountability.decide"
    form_class = DecideForm
    title = "决定是否免责"
    submit_label = "作出决定"
    template_name = "exemption/claim_decide.html"
    success_message = staticmethod(lambda p: f"已决定。责任追究状态：{p.get_status_display()}。")

    def get_object(self, request, pk: int):
        return policy.access(request.user, ExemptionClaim.objects.select_related(
            "proceeding__agency", "claimant"), pk)

    def check(self, request, claim):
        services.may_decide_claim.require(request.user, claim)

    def extra_context(self, request, obj=None, **kwargs):
        return {"claim": obj, "proceeding": obj.proceeding}

    def save(self, request, form, claim):
        data = form.cleaned_data
        services.exemption_claim_decide(actor=request.user, claim=claim, accept=data["accept"],
                                        reason=data["reason"])
        claim.proceeding.refresh_from_db()
        return claim.proceeding
