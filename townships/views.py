"""Township–district cooperation (M15) on the shared web layer (core.pages): the township
transfers and, per section, a list, a record's page and its form, and the steps taken on
a record's page."""
from __future__ import annotations

from typing import Any, Callable

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core import pages, policy

from . import exports, forms, selectors, services
from .models import (
    Consultation,
    Dissuasion,
    InfoNotice,
)

SECTIONS = (
    ("现场劝阻", "townships:dissuasions"),
    # M15.2 and M15.5 are kept in the complaints app: its ledger and its assistance requests.
    ("投诉举报台账", "complaints:list"),
    ("协助请求", "complaints:assistance_list"),
    ("会商与联合处置", "townships:consultations"),
    ("信息通报", "townships:info_notices"),
)


def _links(user, new: tuple[str, str] | None, capability: str = "cooperation.handle"
           ) -> list[tuple[str, str, bool]]:
    """The buttons above a list: 新建 (for whoever can act for a department or township)
    and the way back to the cooperation home."""
    links = [("返回协作首页", reverse("townships:home"), False)]
    if new and selectors.acting_organizations(user, capability).exists():
        links.append((new[0], reverse(new[1]), True))
    return links


# --- lists --------------------------------------------------------------------------------
class RecordList(pages.ListPage):
    capability = "cooperation.handle"
    template_name = "townships/list.html"
    model: type | None = None
    new: tuple[str, str] | None = None  # (label, url name) of the form

    def get_queryset(self, request, filters):
        return selectors.records(request.user, self.model, filters)

    def extra_context(self, request, **kwargs):
        return {"links": _links(request.user, self.new)}


class Home(RecordList):
    """The township transfers (M15.1) and the way to every section."""

    title = "乡镇（街道）与区职能部门协作"
    filter_form = forms.TownshipTransferFilterForm
    export_kind = "township_transfers"
    columns = exports.TRANSFER_COLUMNS
    empty_text = "尚无相互移送。"

    def get_queryset(self, request, filters):
        return selectors.township_transfers(request.user, filters)

    def extra_context(self, request, **kwargs):
        links = [(label, reverse(name), False) for label, name in SECTIONS]
        if selectors.acting_organizations(request.user, "transfer.prepare").exists():
            links.append(("相互移送案件", reverse("townships:transfer_new"), True))
        return {"links": links, "list_heading": "相互移送（3 个工作日内，紧急 24 小时内）"}


class DissuasionList(RecordList):
    title = "现场劝阻"
    model = Dissuasion
    filter_form = forms.DissuasionFilterForm
    export_kind = "township_dissuasions"
    columns = exports.DISSUASION_COLUMNS
    new = ("记录现场劝阻", "townships:dissuasion_new")


class ConsultationList(RecordList):
    title = "会商与联合处置"
    model = Consultation
    filter_form = forms.ConsultationFilterForm
    export_kind = "township_consultations"
    columns = exports.CONSULTATION_COLUMNS
    new = ("发起会商或联合处置", "townships:consultation_new")


class InfoNoticeList(RecordList):
    title = "信息通报"
    model = InfoNotice
    filter_form = forms.InfoNoticeFilterForm
    export_kind = "township_info_notices"
    columns = exports.INFO_NOTICE_COLUMNS
    new = ("发布信息通报", "townships:info_notice_new")


# --- a record's page ----------------------------------------------------------------------
class RecordDetail(pages.DetailPage):
    template_name = "townships/detail.html"
    list_url_name = ""
    list_title = ""
    # Many-to-many fields shown after ``fields`` (the units taking part …).
    many: tuple[str, ...] = ()

    def get_queryset(self, request):
        return self.model._default_manager.select_related(*selectors.RELATED[self.model])

    def steps(self, request, obj) -> list[dict[str, Any]]:
        """Forms of this page other than the workflow's buttons: label, address, form."""
        return []

    def extra_context(self, request, obj, **kwargs):
        context = {"list_url": reverse(self.list_url_name), "list_title": self.list_title,
                   "steps": self.steps(request, obj),
                   "extra_fields": [(obj._meta.get_field(name).verbose_name,
                                     "、".join(o.name for o in getattr(obj, name).all()))
                                    for name in self.many]}
        return context


class DissuasionDetail(RecordDetail):
    model = Dissuasion
    list_url_name, list_title = "townships:dissuasions", "现场劝阻"
    fields = ("township", "competent", "location", "violation", "measures", "dissuaded_at",
              "notified_at", "transfer", "created_by", "created_at")


class ConsultationDetail(RecordDetail):
    model = Consultation
    list_url_name, list_title = "townships:consultations", "会商与联合处置"
    fields = ("kind", "topic", "initiator", "subject", "content", "case", "meeting_at",
              "conclusion", "concluded_at", "created_by", "created_at")
    many = ("participants",)

    def steps(self, request, obj):
        if obj.concluded_at or not services.may_conclude(request.user, obj):
            return []
        return [{"label": "办结", "url": reverse("townships:consultation_conclude", args=[obj.pk]),
                 "form": forms.ConclusionForm()}]


class InfoNoticeDetail(RecordDetail):
    model = InfoNotice
    list_url_name, list_title = "townships:info_notices", "信息通报"
    fields = ("sender", "title", "body", "created_by", "created_at")
    many = ("recipients",)


# --- forms --------------------------------------------------------------------------------
class RecordNew(pages.FormPage):
    capability = "cooperation.handle"
    submit_label = "提交"
    acting_capability = "cooperation.handle"
    cancel_url_name = ""
    # The service the form's values go to, as its keyword arguments.
    service: Callable[..., Any]

    def check(self, request, obj):
        if not selectors.acting_organizations(request.user, self.acting_capability).exists():
            raise PermissionDenied("须以区职能部门或乡镇人民政府（街道办事处）名义办理。")

    def get_form_kwargs(self, request, obj):
        return {"user": request.user}

    def cancel_url(self, request, obj):
        return reverse(self.cancel_url_name)

    def save(self, request, form, obj):
        return self.service(actor=request.user, **form.cleaned_data)


class TownshipTransferNew(RecordNew):
    title = "乡镇（街道）与区职能部门相互移送"
    form_class = forms.TownshipTransferForm
    capability = acting_capability = "transfer.prepare"
    cancel_url_name = "townships:home"

    def success_message(self, transfer) -> str:
        told = "已立即告知接收单位现场劝阻情况。" if self.ongoing else ""
        return f"移送草稿已建立，请签发案件移送书后发送。{told}"

    def save(self, request, form, obj):
        self.ongoing = form.cleaned_data["ongoing"]
        return services.township_transfer_create(actor=request.user, **form.cleaned_data)


class DissuasionNew(RecordNew):
    title = "记录现场劝阻"
    form_class = forms.DissuasionForm
    cancel_url_name = "townships:dissuasions"
    success_message = "已记录现场劝阻，并已告知主管部门。"
    service = staticmethod(services.dissuasion_record)


class ConsultationNew(RecordNew):
    title = "发起会商或联合处置"
    form_class = forms.ConsultationForm
    cancel_url_name = "townships:consultations"
    success_message = "已通知参加单位。"
    service = staticmethod(services.consultation_create)


class InfoNoticeNew(RecordNew):
    title = "发布信息通报"
    form_class = forms.InfoNoticeForm
    cancel_url_name = "townships:info_notices"
    success_message = "信息通报已发布。"
    service = staticmethod(services.info_notice_publish)


# --- steps --------------------------------------------------------------------------------
class RecordStep(pages.ActionView):
    model: type | None = None

    def get_object(self, request, pk):
        return policy.access(request.user, self.model, pk)


class ConsultationConclude(RecordStep):
    model = Consultation
    form_class = forms.ConclusionForm
    invalid_message = "请填写会商意见或处置结果。"
    success_message = "已办结，会商意见已通知参加单位。"

    def perform(self, request, consultation, data):
        return services.consultation_conclude(actor=request.user, consultation=consultation,
                                              conclusion=data["conclusion"])
