"""Every write of the complaint ledger and its assistance requests, and the ``may_*``
rules their pages share.

举报人保密: the complainant's name, ID number, phone and address never enter an audit
event, a notification or an e-mail — only the ledger row and the pages that
``may_see_complainant`` opens."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import BinaryIO, Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Organization, OrgKind
from core.services import attachment_store, attachment_validate
from core.workflow import transition_apply
from deadlines import notifications
from deadlines import services as deadline_services
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState
from documents.services import sequence_allocate

from .models import (AssistanceKind, AssistanceRequest, AssistanceStatus, Channel, Complaint,
                     ComplaintChannel, ComplaintFile, ComplaintKind, ComplaintStatus)
from .workflow import ASSISTANCE_WORKFLOW, COMPLAINT_WORKFLOW

LEDGER_CODE = "投诉举报"  # the ledger's code in the numbering counter (documents.DocumentCounter)
ACTING_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP, OrgKind.JUSTICE_BUREAU,
                OrgKind.HIGHER_AUTHORITY)
FileUpload = tuple[BinaryIO, str, int]

VERBS = {
    "complaints.channel.save": "公布投诉举报渠道",
    "complaints.complaint.register": "登记投诉举报",
    "complaints.complaint.submit": "收到网上投诉举报",
    "complaints.complaint.transition": "投诉举报状态变更",
    "complaints.complaint.transfer": "转办投诉举报",
    "complaints.complaint.extend": "延长投诉举报办理期限",
    "complaints.complaint.import": "导入投诉举报台账",
    "complaints.file.add": "上传投诉举报材料",
    "complaints.assistance.request": "提出协助请求",
    "complaints.assistancerequest.transition": "协助请求状态变更",
}


# --- who may do what -------------------------------------------------------------------
@policy.predicate("查看投诉举报人的身份和联系方式")
def may_see_complainant(user, complaint: Complaint) -> bool:
    """举报人保密 (M3, SPEC "Who uses it"): the complainant's identity, contact and
    materials are for the handling unit and the justice bureau only — never for the unit
    complained about (it sees an entry only through an assistance request), the unit that
    handed it on once it is handed on (M15.2), nor the officer complained about, even
    inside the handling unit. Pages, exports, the API and file downloads all ask this."""
    v = policy.viewer(user)
    if v.user_id is None or v.user_id == complaint.subject_officer_id:
        return False
    if v.sees_all:
        return True
    # Handed on (转办): from then on the competent unit's entry is the one that names them.
    return complaint.unit_id in v.org_ids and complaint.status != ComplaintStatus.TRANSFERRED


@policy.predicate("转办该投诉举报")
def may_transfer(user, complaint: Complaint) -> bool:
    return (complaint.status == ComplaintStatus.REGISTERED
            and policy.has_capability(user, "complaint.handle", complaint.unit))


@policy.predicate("记录答复情况")
def may_answer(user, complaint: Complaint) -> bool:
    return (complaint.status == ComplaintStatus.CONCLUDED
            and policy.has_capability(user, "complaint.handle", complaint.unit))


@policy.predicate("归档该投诉举报")
def may_archive(user, complaint: Complaint) -> bool:
    return (complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.REJECTED)
            and policy.has_capability(user, "complaint.handle", complaint.unit))


@policy.predicate("延长办理期限")
def may_extend(user, complaint: Complaint) -> bool:
    """Once, by the unit's head, while the handling period runs (M3.2)."""
    return (complaint.status in (ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING)
            and not complaint.extension_reason
            and policy.has_capability(user, "complaint.extend", complaint.unit))


@policy.predicate("请求被投诉举报单位协助调查")
def may_request_investigation(user, complaint: Complaint) -> bool:
    """M3.4: the justice bureau (or a higher department) handling a complaint directly
    asks the unit complained about to assist."""
    return (complaint.subject_org_id is not None and complaint.subject_org_id != complaint.unit_id
            and complaint.status in (ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING)
            and policy.has_capability(user, "assistance.handle", complaint.unit))


@policy.predicate("上传投诉举报材料")
def may_add_files(user, complaint: Complaint) -> bool:
    return (complaint.status in (ComplaintStatus.REGISTERED, ComplaintStatus.ACCEPTED,
                                 ComplaintStatus.INVESTIGATING)
            and policy.has_capability(user, "complaint.handle", complaint.unit)
            and may_see_complainant(user, complaint))


@policy.predicate("公布该单位的投诉举报渠道")
def may_publish_channel(user, organization: Organization | None = None) -> bool:
    """The unit's own staff; the justice bureau, which coordinates the units' handling
    (M3.3), for any unit."""
    return policy.has_capability(user, "complaint.channel", organization) or (
        policy.sees_all(user) and policy.has_capability(user, "complaint.channel"))


@policy.predicate("导入投诉举报台账")
def may_import(user, unit: Organization | None = None) -> bool:
    return policy.has_capability(user, "complaint.import", unit)


def _acting(user, capability: str, organization: Organization) -> None:
    policy.require(user, capability, organization)
    if organization.kind not in ACTING_KINDS:
        raise ValidationError("投诉举报须以行政执法部门、乡镇人民政府（街道办事处）或区司法局名义登记办理，"
                              "不能以内设机构名义。")


# --- channels (M3.1) -------------------------------------------------------------------
CHANNEL_FIELDS = ("handling_office", "phone", "postal", "email", "address", "hours")


def channel_save(*, actor, organization: Organization, handling_office: str, phone: str = "",
                 postal: str = "", email: str = "", address: str = "",
                 hours: str = "") -> ComplaintChannel:
    """Publish (or change) ``organization``'s complaint channels on the portal."""
    may_publish_channel.require(actor, organization)
    values = {"handling_office": handling_office.strip(), "phone": phone.strip(),
              "postal": postal.strip(), "email": email.strip(), "address": address.strip(),
              "hours": hours.strip()}
    if not values["handling_office"]:
        raise ValidationError({"handling_office": "请填写受理投诉举报的工作机构。"})
    if not (values["phone"] or values["postal"] or values["email"]):
        raise ValidationError("请至少公布投诉举报电话、信箱或电子邮箱中的一项。")
    with transaction.atomic():
        channel = ComplaintChannel.objects.select_for_update().filter(organization=organization).first()
        before = snapshot(channel, CHANNEL_FIELDS) if channel else {}
        channel = channel or ComplaintChannel(organization=organization)
        for name, value in values.items():
            setattr(channel, name, value)
        channel.updated_by = actor
        channel.save()
        audit_record(actor=actor, verb="complaints.channel.save", target=channel,
                     organization=organization, changes=diff(before, values))
    return channel


# --- the ledger (M3.2) -----------------------------------------------------------------
def _tracking_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(12))


def _number(unit: Organization, year: int, sequence: int) -> str:
    return f"{unit.short_name or unit.name}投〔{year}〕{sequence}号"


def _clean_identity(data: dict) -> dict:
    cleaned = {k: (data.get(k) or "").strip() for k in
               ("complainant_name", "complainant_id_number", "complainant_phone", "complainant_address")}
    if data.get("anonymous"):
        cleaned["complainant_name"] = cleaned["complainant_id_number"] = ""
    elif not cleaned["complainant_name"]:
        raise ValidationError({"complainant_name": "请填写投诉举报人姓名，或勾选“匿名”。"})
    return cleaned


def _store_files(complaint: Complaint, files: Iterable[FileUpload], actor) -> list[ComplaintFile]:
    stored = []
    for fileobj, name, size in files:
        name, content_type, _ext = attachment_validate(fileobj=fileobj, name=name, size=size)
        digest = hashlib.sha256()
        for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
            digest.update(chunk)
        fileobj.seek(0)
        row = ComplaintFile(complaint=complaint, original_name=name, content_type=content_type,
                            size=size, sha256=digest.hexdigest(),
                            uploaded_by=actor if getattr(actor, "pk", None) else None)
        row.file.save("material", File(fileobj), save=False)
        row.save()
        stored.append(row)
    return stored


def _create(*, unit: Organization, created_by, received_at: dt.datetime, **fields) -> Complaint:
    """A new ledger entry with the next 台账编号 of ``unit``'s year (the document
    counter's row lock keeps the numbers gap-free) and the acceptance deadline."""
    year = timezone.localtime(received_at).year
    sequence = sequence_allocate(issuer=unit, number_code=LEDGER_CODE, year=year)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    unit=unit, year=year, sequence=sequence, number=_number(unit, year, sequence),
                    received_at=received_at, created_by=created_by, tracking_code=_tracking_code(),
                    **fields)
            break
        except IntegrityError:
            if Complaint.objects.filter(unit=unit, year=year, sequence=sequence).exists():
                raise
            continue  # the 查询码 was taken: draw another
    else:  # pragma: no cover — 10^12 codes
        raise ValidationError("暂时无法生成查询码，请重试。")
    deadline_services.deadline_open(target=complaint, rule="complaint_acceptance",
                                    responsible=unit, start=received_at, actor=created_by)
    return complaint


def _check_entry(*, kind: str, channel: str, hotline_order: str, received_at: dt.datetime,
                 matter: str) -> None:
    errors = {}
    if kind not in ComplaintKind.values:
        errors["kind"] = "请选择投诉或举报。"
    if channel not in Channel.values:
        errors["channel"] = "请选择来源渠道。"
    if channel == Channel.HOTLINE and not hotline_order.strip():
        errors["hotline_order"] = "12345热线转来的，请填写工单号。"
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        errors["received_at"] = "收到时间不能晚于现在。"
    if not matter.strip():
        errors["matter"] = "请填写投诉举报事项。"
    if errors:
        raise ValidationError(errors)


def complaint_register(
    *,
    actor,
    unit: Organization,
    kind: str,
    channel: str,
    received_at: dt.datetime,
    matter: str,
    hotline_order: str = "",
    anonymous: bool = False,
    confidential: bool = False,
    complainant_name: str = "",
    complainant_id_number: str = "",
    complainant_phone: str = "",
    complainant_address: str = "",
    subject_org: Organization | None = None,
    subject_officer=None,
    subject_officer_name: str = "",
    files: Iterable[FileUpload] = (),
) -> Complaint:
    """M3.2: register a complaint or report received by ``unit``; M3.3: the justice
    bureau registering one about a department or officer accepts it directly."""
    _acting(actor, "complaint.handle", unit)
    _check_entry(kind=kind, channel=channel, hotline_order=hotline_order, received_at=received_at,
                 matter=matter)
    identity = _clean_identity({"anonymous": anonymous, "complainant_name": complainant_name,
                                "complainant_id_number": complainant_id_number,
                                "complainant_phone": complainant_phone,
                                "complainant_address": complainant_address})
    if subject_officer is not None:
        subject_officer_name = subject_officer_name or subject_officer.get_full_name() or str(subject_officer)
    with transaction.atomic():
        complaint = _create(
            unit=unit, created_by=actor, received_at=received_at, kind=kind, channel=channel,
            hotline_order=hotline_order.strip(), anonymous=anonymous, confidential=confidential,
            subject_org=subject_org, subject_officer=subject_officer,
            subject_officer_name=subject_officer_name.strip(), matter=matter.strip(), **identity)
        _store_files(complaint, files, actor)
        audit_record(actor=actor, verb="complaints.complaint.register", target=complaint,
                     organization=unit, changes={
                         "number": [None, complaint.number], "kind": [None, complaint.get_kind_display()],
                         "channel": [None, complaint.get_channel_display()],
                         "subject_org": [None, str(subject_org) if subject_org else None]})
    return complaint


def complaint_submit_public(
    *,
    unit: Organization,
    kind: str,
    matter: str,
    complainant_phone: str,
    anonymous: bool = False,
    confidential: bool = False,
    complainant_name: str = "",
    complainant_id_number: str = "",
    complainant_address: str = "",
    subject_org: Organization | None = None,
    subject_officer_name: str = "",
    files: Iterable[FileUpload] = (),
) -> Complaint:
    """M3, issue 17 item 6: a complaint sent through the public portal's form (no
    sign-in): registered in ``unit``'s ledger as received now, the unit told. The
    caller (the form) has checked the captcha and the client address's rate."""
    if unit.kind not in ACTING_KINDS or not unit.is_active:
        raise ValidationError({"unit": "请选择受理单位。"})
    if not complainant_phone.strip():
        raise ValidationError({"complainant_phone": "请填写联系电话，凭查询码和该电话查询办理情况。"})
    now = timezone.now()
    _check_entry(kind=kind, channel=Channel.PORTAL, hotline_order="", received_at=now, matter=matter)
    identity = _clean_identity({"anonymous": anonymous, "complainant_name": complainant_name,
                                "complainant_id_number": complainant_id_number,
                                "complainant_phone": complainant_phone,
                                "complainant_address": complainant_address})
    with transaction.atomic():
        complaint = _create(unit=unit, created_by=None, received_at=now, kind=kind,
                            channel=Channel.PORTAL, anonymous=anonymous, confidential=confidential,
                            subject_org=subject_org, subject_officer_name=subject_officer_name.strip(),
                            matter=matter.strip(), **identity)
        _store_files(complaint, files, None)
        audit_record(actor=None, verb="complaints.complaint.submit", target=complaint,
                     organization=unit, changes={"number": [None, complaint.number],
                                                 "kind": [None, complaint.get_kind_display()]})
        notifications.notification_send(
            recipients=[unit], subject=f"收到网上{complaint.get_kind_display()}：{complaint.number}",
            body="请在7个工作日内决定是否受理。", target=complaint, url=complaint.get_absolute_url())
    return complaint


def complaint_files_add(*, actor, complaint: Complaint, files: Iterable[FileUpload]) -> list[ComplaintFile]:
    may_add_files.require(actor, complaint)
    files = list(files)
    if not files:
        raise ValidationError({"files": "请选择要上传的文件。"})
    with transaction.atomic():
        stored = _store_files(complaint, files, actor)
        audit_record(actor=actor, verb="complaints.file.add", target=complaint,
                     organization=complaint.unit, changes={"files": [None, len(stored)]})
    return stored


def complaint_transition(*, actor, complaint: Complaint, target: str, note: str = "") -> Complaint:
    """受理, 不予受理 (the reason, told to the complainant), 开始调查处理, 办结 (the result)."""
    now = timezone.now()
    updates = {
        ComplaintStatus.ACCEPTED: {"accepted_at": now},
        ComplaintStatus.REJECTED: {"reject_reason": note.strip(), "told_at": now},
        ComplaintStatus.CONCLUDED: {"result": note.strip(), "concluded_at": now},
    }.get(target, {})
    if target in (ComplaintStatus.TRANSFERRED, ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED):
        raise ValidationError("请通过相应表单办理。")
    return transition_apply(workflow=COMPLAINT_WORKFLOW, obj=complaint, target=target, actor=actor,
                            note=note, updates=updates)


def complaint_transfer(*, actor, complaint: Complaint, to: Organization, told_at: dt.datetime,
                       note: str = "") -> Complaint:
    """转办 (M15.2): hand the complaint to the competent unit, whose ledger continues it
    (a new entry of its own number, channel 其他单位转办); the complainant was told who
    handles it at ``told_at``. The competent unit reports the result back here."""
    may_transfer.require(actor, complaint)
    if to.pk == complaint.unit_id:
        raise ValidationError({"to": "请选择其他有权处理的单位。"})
    if to.kind not in ACTING_KINDS or not to.is_active:
        raise ValidationError({"to": "请选择行政执法部门、乡镇人民政府（街道办事处）。"})
    if told_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"told_at": "告知时间不能晚于现在。"})
    with transaction.atomic():
        complaint = transition_apply(
            workflow=COMPLAINT_WORKFLOW, obj=complaint, target=ComplaintStatus.TRANSFERRED,
            actor=actor, note=note or f"转{to.name}办理",
            updates={"transferred_to": to, "told_at": told_at})
        successor = _create(
            unit=to, created_by=actor, received_at=timezone.now(), kind=complaint.kind,
            channel=Channel.TRANSFER, referred_from=complaint, anonymous=complaint.anonymous,
            confidential=complaint.confidential, complainant_name=complaint.complainant_name,
            complainant_id_number=complaint.complainant_id_number,
            complainant_phone=complaint.complainant_phone,
            complainant_address=complaint.complainant_address, subject_org=complaint.subject_org,
            subject_officer=complaint.subject_officer,
            subject_officer_name=complaint.subject_officer_name, matter=complaint.matter)
        for f in complaint.files.all():
            ComplaintFile.objects.create(complaint=successor, file=f.file.name,
                                         original_name=f.original_name, content_type=f.content_type,
                                         size=f.size, sha256=f.sha256, uploaded_by=f.uploaded_by)
        audit_record(actor=actor, verb="complaints.complaint.transfer", target=successor,
                     organization=to, changes={"referred_from": [None, complaint.number]})
        notifications.notification_send(
            recipients=[to], subject=f"{complaint.unit.short_name}转来{complaint.get_kind_display()}：{successor.number}",
            body="请在7个工作日内决定是否受理，办理结果将反馈转办单位。", target=successor,
            url=successor.get_absolute_url(), actor=actor)
    return complaint


def complaint_extend(*, actor, complaint: Complaint, new_due: dt.date, reason: str) -> Deadline:
    """The 60-day handling period, extended once by the unit's head with a reason."""
    may_extend.require(actor, complaint)
    if not reason.strip():
        raise ValidationError({"reason": "请填写延长办理期限的理由。"})
    deadline = (Deadline.objects.filter(rule="complaint_handling", target_id=str(complaint.pk),
                                        target_type__model="complaint",
                                        target_type__app_label="complaints",
                                        state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
                .select_related("imposed_by").first())
    if deadline is None or deadline.state != DeadlineState.OPEN:
        raise ValidationError("办理期限已届满或已完成，不能再延长。")
    with transaction.atomic():
        claimed = Complaint.objects.filter(pk=complaint.pk, extension_reason="").update(
            extension_reason=reason.strip())
        if claimed != 1:
            raise ValidationError("办理期限已延长过一次，不能再次延长。")
        complaint.extension_reason = reason.strip()
        deadline = deadline_services.deadline_extend(deadline=deadline, actor=actor,
                                                     new_due=end_of_day(new_due), reason=reason)
        audit_record(actor=actor, verb="complaints.complaint.extend", target=complaint,
                     organization=complaint.unit,
                     changes={"extension_reason": [None, complaint.extension_reason]})
    return deadline


def complaint_answer(*, actor, complaint: Complaint, method: str, answered_at: dt.datetime,
                     answer: str) -> Complaint:
    """答复: how and when the complainant was told the result (M3.2); an entry handed on
    by another unit reports the result back to it (M15.2)."""
    may_answer.require(actor, complaint)
    errors = {}
    if not answer.strip():
        errors["answer"] = "请填写答复内容。"
    if answered_at > timezone.now() + dt.timedelta(minutes=5):
        errors["answered_at"] = "答复时间不能晚于现在。"
    elif complaint.concluded_at and answered_at < complaint.concluded_at - dt.timedelta(days=1):
        errors["answered_at"] = "答复时间不能早于办结时间。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = transition_apply(
            workflow=COMPLAINT_WORKFLOW, obj=complaint, target=ComplaintStatus.ANSWERED, actor=actor,
            note=answer, updates={"answer_method": method, "answered_at": answered_at,
                                  "answer": answer.strip()})
        origin = complaint.referred_from
        if origin is not None:
            notifications.notification_send(
                recipients=[origin.unit], subject=f"转办的{complaint.get_kind_display()}办理结果反馈：{origin.number}",
                body=f"{complaint.unit.name}办理结果：{complaint.result}", target=origin,
                url=origin.get_absolute_url(), actor=actor)
    return complaint


def complaint_archive(*, actor, complaint: Complaint, satisfaction: str) -> Complaint:
    """归档, with the complainant's satisfaction recorded."""
    may_archive.require(actor, complaint)
    return transition_apply(workflow=COMPLAINT_WORKFLOW, obj=complaint,
                            target=ComplaintStatus.ARCHIVED, actor=actor,
                            updates={"satisfaction": satisfaction, "archived_at": timezone.now()})


# --- assistance (M3.4, M15.5) ----------------------------------------------------------
def assistance_request(
    *,
    actor,
    requester: Organization,
    addressee: Organization,
    kind: str,
    subject: str,
    content: str,
    reply_due: dt.date,
    letter: FileUpload | None = None,
    complaint: Complaint | None = None,
) -> AssistanceRequest:
    """A request with a reply due date (the ``assistance_reply`` deadline, escalated by
    the sweep like every other): 协助调查 of a complaint handled directly (M3.4), or a
    township's technical support (by written letter) or archive request (M15.5)."""
    if kind == AssistanceKind.INVESTIGATION:
        if complaint is None:
            raise ValidationError("协助调查须针对一件投诉举报。")
        may_request_investigation.require(actor, complaint)
        requester, addressee = complaint.unit, complaint.subject_org
    else:
        _acting(actor, "assistance.handle", requester)
        complaint = None
    errors = {}
    if addressee.pk == requester.pk:
        errors["addressee"] = "不能向本单位提出协助请求。"
    if reply_due < timezone.localdate():
        errors["reply_due"] = "答复期限不能早于今天。"
    if kind == AssistanceKind.TECHNICAL and letter is None:
        errors["letter"] = "请求技术支持须上传书面函件。"
    if not subject.strip():
        errors["subject"] = "请填写事项。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = AssistanceRequest(requester=requester, addressee=addressee, kind=kind,
                                    complaint=complaint, subject=subject.strip(),
                                    content=content.strip(), reply_due=reply_due, created_by=actor)
        if letter is not None:
            fileobj, name, size = letter
            request.letter = attachment_store(actor=actor, organization=requester, fileobj=fileobj,
                                              name=name, size=size, description="协助请求函")
        request.save()
        if request.letter_id:
            request.letter.target = request
            request.letter.save(update_fields=["target_type", "target_id"])
        audit_record(actor=actor, verb="complaints.assistance.request", target=request,
                     organization=requester, changes={"addressee": [None, addressee.name],
                                                      "kind": [None, request.get_kind_display()]})
        deadline_services.deadline_open(target=request, rule="assistance_reply",
                                        responsible=addressee, start=timezone.now(), actor=actor,
                                        due=end_of_day(reply_due))
        notifications.notification_send(
            recipients=[addressee], subject=f"{requester.short_name}请求{request.get_kind_display()}：{request.subject}",
            body=f"请于{reply_due.month}月{reply_due.day}日前答复。", target=request,
            url=request.get_absolute_url(), actor=actor)
    return request


def assistance_answer(*, actor, request: AssistanceRequest, target: str, reply: str,
                      files: Iterable[FileUpload] = ()) -> AssistanceRequest:
    """The addressee's reply (with its materials and explanations) or refusal, by the due
    date; the requester is told."""
    if target not in (AssistanceStatus.REPLIED, AssistanceStatus.DECLINED):
        raise ValidationError("请求无效，请刷新页面后重试。")
    files = list(files)
    with transaction.atomic():
        request = transition_apply(workflow=ASSISTANCE_WORKFLOW, obj=request, target=target,
                                   actor=actor, note=reply,
                                   updates={"reply": reply.strip(), "replied_at": timezone.now()})
        for fileobj, name, size in files:
            attachment_store(actor=actor, organization=request.addressee, fileobj=fileobj,
                             name=name, size=size, target=request, description="协助材料")
        notifications.notification_send(
            recipients=[request.requester],
            subject=f"{request.addressee.short_name}{request.get_status_display()}：{request.subject}",
            body=request.reply, target=request, url=request.get_absolute_url(), actor=actor)
    return request
