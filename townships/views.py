from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import policy
from core.audit import events_for, verb_label
from core.forms import apply_errors, search_keyword
from core.models import Organization
from deadlines.selectors import deadlines_for
from transfers import selectors as transfer_selectors
from transfers import services as transfer_services
from transfers.forms import sender_choices
from transfers.models import TransferKind

from . import forms, services
from .selectors import acting_organizations, listing
from .models import (
    AssistanceRequest,
    ComplaintNotice,
    Consultation,
    Dissuasion,
    DisputeStatus,
    InfoNotice,
    JurisdictionDispute,
)
from .workflow import ASSISTANCE_WORKFLOW, COMPLAINT_WORKFLOW, DISPUTE_WORKFLOW


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: type
    form: type
    create: callable
    search: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (label, attribute)
    workflow: object = None


def _create_assistance(user, data):
    letter = data.pop("letter", None)
    return services.assistance_request(
        actor=user, letter=(letter, letter.name, letter.size) if letter else None, **data)


SECTIONS = {s.key: s for s in (
    Section("dissuasions", "现场劝阻", Dissuasion, forms.DissuasionForm,
            lambda u, d: services.dissuasion_record(actor=u, **d), ("location", "violation"),
            (("劝阻时间", "dissuaded_at"), ("地点", "location"), ("劝阻单位", "township"),
             ("主管部门", "competent"))),
    Section("complaints", "投诉告知与反馈", ComplaintNotice, forms.ComplaintForm,
            lambda u, d: services.complaint_register(actor=u, **d), ("summary",),
            (("接收时间", "received_at"), ("投诉内容", "summary"), ("处理单位", "handler"),
             ("状态", "get_status_display")), COMPLAINT_WORKFLOW),
    Section("assistance", "协助请求", AssistanceRequest, forms.AssistanceForm,
            _create_assistance, ("subject", "content"),
            (("事项", "subject"), ("类别", "get_kind_display"), ("请求单位", "requester"),
             ("被请求单位", "addressee"), ("答复期限", "reply_due"), ("状态", "get_status_display")),
            ASSISTANCE_WORKFLOW),
    Section("consultations", "会商与联合处置", Consultation, forms.ConsultationForm,
            lambda u, d: services.consultation_create(actor=u, **d), ("subject", "content"),
            (("会商时间", "meeting_at"), ("议题", "subject"), ("类别", "get_kind_display"),
             ("发起单位", "initiator"), ("办结时间", "concluded_at"))),
    Section("disputes", "管辖争议", JurisdictionDispute, forms.DisputeForm,
            lambda u, d: services.dispute_raise(actor=u, **d), ("subject", "description"),
            (("争议事项", "subject"), ("提出单位", "applicant"), ("对方单位", "respondent"),
             ("状态", "get_status_display")), DISPUTE_WORKFLOW),
    Section("info", "信息通报", InfoNotice, forms.InfoNoticeForm,
            lambda u, d: services.info_notice_publish(actor=u, **d), ("title", "body"),
            (("发布时间", "created_at"), ("标题", "title"), ("通报单位", "sender"))),
)}


def _section(key: str) -> Section:
    try:
        return SECTIONS[key]
    except KeyError:
        raise Http404("页面不存在。") from None


def _value(obj, attribute: str):
    value = getattr(obj, attribute)
    return value() if callable(value) else value


@login_required
def home(request):
    transfers = transfer_selectors.transfer_list(request.user, {"kind": TransferKind.TOWNSHIP})
    page = Paginator(transfers, 20).get_page(request.GET.get("page"))
    return render(request, "townships/home.html", {
        "page": page, "query": "", "sections": SECTIONS.values(),
        "can_transfer": sender_choices(request.user).exists(),
    })


@login_required
def transfer_create(request):
    form = forms.TownshipTransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ongoing, location, measures = data.pop("ongoing"), data.pop("location"), data.pop("measures")
        try:
            with transaction.atomic():
                transfer = transfer_services.transfer_create(actor=request.user,
                                                             kind=TransferKind.TOWNSHIP, **data)
                if ongoing:
                    record = services.dissuasion_record(
                        actor=request.user, township=data["sender"], competent=data["receiver"],
                        location=location, violation=data["basic_facts"], measures=measures,
                        dissuaded_at=data["discovered_at"])
                    record.transfer = transfer
                    record.save(update_fields=["transfer"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "移送草稿已建立，请签发案件移送书后发送。"
                             + ("已立即告知主管部门。" if ongoing else ""))
            return redirect("transfers:detail", pk=transfer.pk)
    return render(request, "includes/form_page.html", {"form": form, "title": "乡镇（街道）与区职能部门相互移送",
                                                       "submit_label": "提交"})


@login_required
def section_list(request, key: str):
    section = _section(key)
    q = search_keyword(request.GET)
    qs = listing(request.user, section.model, q, section.search)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(obj, [_value(obj, attr) for _label, attr in section.columns]) for obj in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "townships/section_list.html", {
        "section": section, "page": page, "rows": rows, "q": q, "query": query.urlencode(),
        "can_create": acting_organizations(request.user).exists(),
    })


@login_required
def section_create(request, key: str):
    section = _section(key)
    form = section.form(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = section.create(request.user, dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{section.title}已保存。")
            return redirect("townships:detail", key=key, pk=obj.pk)
    return render(request, "includes/form_page.html", {"form": form, "title": f"新建{section.title}",
                                                       "submit_label": "提交", "multipart": True})


@login_required
def section_detail(request, key: str, pk: int):
    section = _section(key)
    obj = policy.access(request.user, section.model, pk)
    fields = []
    for f in section.model._meta.get_fields():
        if not getattr(f, "concrete", False) or f.name in ("id",) or f.auto_created:
            continue
        if f.many_to_many:
            value = "、".join(str(o) for o in getattr(obj, f.name).all())
        else:
            display = getattr(obj, f"get_{f.name}_display", None)
            value = display() if display else getattr(obj, f.name)
        fields.append((f.verbose_name, value))
    actions = []
    if section.workflow is not None:
        actions = [{"target": t.target, "label": t.label, "needs_note": t.needs_note,
                    "blockers": section.workflow.blockers(obj, t.target)}
                   for t in section.workflow.available(obj, request.user)]
    events = list(events_for(obj))
    for event in events:
        event.verb_text = verb_label(event.verb)
    extra = {}
    if key == "consultations":
        extra["can_conclude"] = (not obj.concluded_at and policy.has_capability(
            request.user, "cooperation.handle", obj.initiator))
    if key == "disputes":
        extra["can_negotiate"] = obj.status == DisputeStatus.NEGOTIATING and any(
            policy.has_capability(request.user, "cooperation.handle", o)
            for o in (obj.applicant, obj.respondent))
        extra["competent_choices"] = [obj.applicant, obj.respondent]
    return render(request, "townships/section_detail.html", {
        "section": section, "obj": obj, "fields": fields, "actions": actions, "events": events,
        "deadlines": deadlines_for(request.user, obj), **extra,
    })


@require_POST
@login_required
def section_action(request, key: str, pk: int):
    section = _section(key)
    obj = policy.access(request.user, section.model, pk)
    target, note = request.POST.get("target", ""), request.POST.get("note", "")
    try:
        if key == "complaints":
            services.complaint_transition(actor=request.user, complaint=obj, target=target, note=note)
        elif key == "assistance":
            services.assistance_answer(actor=request.user, request=obj, target=target, reply=note)
        elif key == "consultations":
            services.consultation_conclude(actor=request.user, consultation=obj, conclusion=note)
        elif key == "disputes" and target == "negotiation":
            services.dispute_record_negotiation(actor=request.user, dispute=obj, negotiation=note)
        elif key == "disputes":
            competent = None
            if request.POST.get("competent"):
                competent = Organization.objects.filter(pk=request.POST["competent"]).first()
            services.dispute_transition(actor=request.user, dispute=obj, target=target, note=note,
                                        competent=competent)
        else:
            raise Http404("没有此操作。")
        messages.success(request, "已办理。")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("townships:detail", key=key, pk=obj.pk)


def dissuasion_detail(request, pk: int):
    return section_detail(request, "dissuasions", pk)


def complaint_detail(request, pk: int):
    return section_detail(request, "complaints", pk)


def assistance_detail(request, pk: int):
    return section_detail(request, "assistance", pk)


def consultation_detail(request, pk: int):
    return section_detail(request, "consultations", pk)


def dispute_detail(request, pk: int):
    return section_detail(request, "disputes", pk)


def info_detail(request, pk: int):
    return section_detail(request, "info", pk)

