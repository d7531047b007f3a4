from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin, DateInput, DateTimeInput

from .models import CHECKLIST_FIELDS, COMMON_FIELDS, EvidenceItem


class EvidenceItemForm(BootstrapFormMixin, forms.ModelForm):
    """The common description plus the checklist of one evidence type (M13.2–M13.6)."""

    class Meta:
        model = EvidenceItem
        fields: tuple[str, ...] = ()
        widgets = {
            "obtained_on": DateInput, "marked_on": DateInput,
            "collected_at": DateTimeInput, "produced_at": DateTimeInput,
            "proves": forms.Textarea(attrs={"rows": 2}),
            "original_not_kept_reason": forms.Textarea(attrs={"rows": 2}),
            "corroboration": forms.Textarea(attrs={"rows": 2}),
            "counterpart_unable_reason": forms.Textarea(attrs={"rows": 2}),
            "original_unobtainable_reason": forms.Textarea(attrs={"rows": 2}),
            "transcript": forms.Textarea(attrs={"rows": 4}),
        }


def evidence_form_class(kind: str) -> type[EvidenceItemForm]:
    return forms.modelform_factory(EvidenceItem, form=EvidenceItemForm,
                                   fields=COMMON_FIELDS + CHECKLIST_FIELDS[kind])


class EvidenceFileForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="证据文件")
    description = forms.CharField(label="说明", max_length=200, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": "如：询问笔录第1-3页扫描件"}))


class EvidenceRemoveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label="删除理由", max_length=500,
                             widget=forms.TextInput(attrs={"placeholder": "如：重复登记"}))
