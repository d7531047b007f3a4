"""Evidence pages on the shared web layer (core.pages): the case's evidence, one item with
its checklist (M13.2–M13.6), its form, and the upload and remove steps."""
from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse

from cases.models import EnforcementCase
from cases.selectors import case_get
from core import pages, policy

from . import services
from .forms import EvidenceFileForm, EvidenceRemoveForm, evidence_form_class
from .models import CHECKLIST_FIELDS, EvidenceItem, EvidenceKind
from .selectors import evidence_blockers, evidence_files, evidence_for_case, item_gaps


def evidence_panel_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    items = evidence_for_case(request.user, case)
    return {
        "items": items,
        "unconfirmed": [i for i in items if not i.confirmed],
        "can_manage": services.may_manage_evidence(request.user, case),
        "kinds": EvidenceKind.choices,
    }


def _item_get(user, pk) -> EvidenceItem:
    return policy.access(user, EvidenceItem.objects.select_related("case", "case__department"), pk)


class CaseEvidence(pages.Page):
    template_name = "evidence/case_evidence.html"

    def get(self, request, case_id: int):
        case = case_get(request.user, case_id)
        return render(request, self.template_name, {
            **evidence_panel_context(request, case), "case": case,
            "blockers": evidence_blockers(case)})


class EvidenceDetail(pages.DetailPage):
    template_name = "evidence/item_detail.html"
    fields = ("proves", "source", "obtained_on", "created_by", "created_at")

    def get_queryset(self, request):
        return EvidenceItem.objects.select_related("case", "case__department", "created_by")

    def extra_context(self, request, obj, **kwargs):
        form_fields = evidence_form_class(obj.kind)(instance=obj)
        return {
            "item": obj, "case": obj.case, "missing": item_gaps(obj),
            "checklist": [form_fields[name] for name in CHECKLIST_FIELDS[obj.kind]],
            "files": evidence_files(request.user, obj),
            "file_form": EvidenceFileForm(), "remove_form": EvidenceRemoveForm(),
            "can_manage": services.may_manage_evidence(request.user, obj.case),
        }


class EvidenceAdd(pages.FormPage):
    template_name = "evidence/item_form.html"
    success_message = staticmethod(lambda item: f"已登记{item}，请上传证据文件。")

    def get_object(self, request, case_id: int, kind: str):
        if kind not in CHECKLIST_FIELDS:
            raise Http404("没有这种证据类型。")
        self.kind = kind
        return case_get(request.user, case_id)

    def check(self, request, case):
        policy.require(request.user, "evidence.manage", case.department)

    def get_form_class(self, request, case):
        return evidence_form_class(self.kind)

    def cancel_url(self, request, case):
        return reverse("evidence:case", args=[case.pk])

    def extra_context(self, request, obj, **kwargs):
        return {"case": obj, "item": None, "title": f"登记证据：{EvidenceKind(self.kind).label}"}

    def save(self, request, form, case):
        return services.evidence_add(actor=request.user, case=case, kind=self.kind,
                                     data=form.cleaned_data)


class EvidenceEdit(pages.FormPage):
    template_name = "evidence/item_form.html"
    success_message = "证据信息已保存。"

    def get_object(self, request, pk: int):
        return _item_get(request.user, pk)

    def check(self, request, item):
        policy.require(request.user, "evidence.manage", item.case.department)

    def get_form_class(self, request, item):
        return evidence_form_class(item.kind)

    def get_form_kwargs(self, request, item):
        return {"instance": item}

    def extra_context(self, request, obj, **kwargs):
        return {"case": obj.case, "item": obj, "title": f"修改证据：{obj.get_kind_display()}"}

    def save(self, request, form, item):
        # The form's instance took the typed values; the service starts from the stored row.
        return services.evidence_update(actor=request.user, item=_item_get(request.user, item.pk),
                                        data=form.cleaned_data)


class EvidenceUpload(pages.ActionView):
    form_class = EvidenceFileForm
    invalid_message = "请选择要上传的文件。"
    success_message = staticmethod(lambda attachment: f"已上传“{attachment.original_name}”。")

    def get_object(self, request, pk):
        return _item_get(request.user, pk)

    def perform(self, request, item, data):
        f = data["file"]
        return services.evidence_attach(actor=request.user, item=item, fileobj=f, name=f.name,
                                        size=f.size, description=data["description"])


class EvidenceRemove(pages.ActionView):
    form_class = EvidenceRemoveForm
    invalid_message = "删除证据须说明理由。"

    def get_object(self, request, pk):
        return _item_get(request.user, pk)

    def perform(self, request, item, data):
        self.removed = str(item)
        services.evidence_remove(actor=request.user, item=item, reason=data["reason"])
        return item.case

    def message(self, request, item, case):
        return f"已删除{self.removed}。"

    def get_success_url(self, request, item, case):
        return reverse("evidence:case", args=[case.pk])
