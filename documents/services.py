"""Issuing, correcting and voiding official documents (SPEC, "Documents").

A number is allocated, the PDF rendered and the document stored in one transaction that
holds the counter row's lock: a failed render rolls the number back, so numbers are
gap-free, and the lock makes them unique under concurrent issuing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from core import formats, policy
from core import services as core_services
from core.audit import audit_record
from core.models import Organization
from core.workflow import transition_apply
from deadlines.calendar import LAST_YEAR, end_of_day
from deadlines.models import Deadline, DeadlineState
from deadlines.notifications import notification_send
from deadlines.services import deadline_cancel, deadline_open

from . import fonts, kinds, rendering
from .models import (Document, DocumentCounter, DocumentStatus, RectificationKind,
                     RectificationReport, RectificationStatus)
from .supervision import INSTRUMENTS, NOTICE_LIMITS, SUPERVISION_NOTICE, SUPERVISION_NOTICE_FIELDS

NOTICE_LABELS = {**SUPERVISION_NOTICE_FIELDS, "contact": "联系人及电话", "attachments": "附件名称"}
from .workflow import DOCUMENT_WORKFLOW, RECTIFICATION_WORKFLOW


def _kind(code: str) -> kinds.DocumentKind:
    try:
        return kinds.kind(code)
    except LookupError:
        raise ValidationError(f"未知的文种“{code}”。") from None


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _clean_data(kind: kinds.DocumentKind, data: dict, title: str) -> dict:
    # Stored as JSON exactly as rendered: dates become ISO strings.
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    missing = [label for key, label in kind.required.items() if not _strings(data.get(key))
               or not "".join(_strings(data.get(key))).strip()]
    if missing:
        raise ValidationError(f"请填写：{'、'.join(missing)}。")
    # Never a blank box in an official document: refuse characters no face can draw.
    undrawable = fonts.missing_glyphs("".join([title, *_strings(data)]))
    if undrawable:
        raise ValidationError(
            f"以下字符无法在公文字体中显示，请改用规范汉字：{'、'.join(undrawable)}。")
    return data


def _allocate_sequence(*, issuer: Organization, number_code: str, year: int, count: int = 1) -> int:
    """The next sequence for (issuer, code, year) — the first of ``count`` consecutive
    ones; the caller's transaction keeps the lock."""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(issuer=issuer, number_code=number_code, year=year)],
        ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(
        issuer=issuer, number_code=number_code, year=year)
    counter.last_sequence += count
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence - count + 1


def sequence_allocate(*, issuer: Organization, number_code: str, year: int, count: int = 1) -> int:
    """The gap-free numbering counter for other registers numbered per unit and year
    (the complaint ledger's 台账编号): the first of ``count`` consecutive sequences, under
    the same row lock as the 文号 — call it inside the transaction that stores the rows."""
    return _allocate_sequence(issuer=issuer, number_code=number_code, year=year, count=count)


def _store(*, kind: kinds.DocumentKind, issuer: Organization, addressee: Organization | None,
           data: dict, title: str, actor, target, year: int, sequence: int, version: int,
           previous: Document | None, issued_at: dt.datetime) -> Document:
    number = f"{issuer.short_name}{kind.number_code}〔{year}〕{sequence}号"
    head = rendering.DocumentHead(
        title=title, number=number, issuer_name=issuer.name,
        date=timezone.localtime(issued_at).date(),
        attachments=tuple(_strings(data.get("attachments"))), header_suffix=kind.header_suffix)
    pdf = rendering.render_pdf(kind, head, data)
    document = Document(
        kind=kind.code, title=title, issuer=issuer, addressee=addressee,
        number_code=kind.number_code, year=year, sequence=sequence, version=version,
        number=number, previous=previous, data=data, sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf), issued_by=actor, issued_at=issued_at,
        target_type=None, target_id="")
    if target is not None:
        document.target = target
    document.file.save("document.pdf", ContentFile(pdf), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_issue(
    *,
    kind: str,
    issuer: Organization,
    data: dict,
    target: models.Model | None,
    actor,
    title: str | None = None,
    addressee: Organization | None = None,
) -> Document:
    """Number, render and store a document of ``kind`` in ``issuer``'s name.

    ``data`` is what the kind's template prints (``attachments``: a list of names for the
    附件 line). ``addressee`` (主送机关) and whoever sees ``target`` may read it.
    """
    document_kind = _kind(kind)
    policy.require(actor, document_kind.capability, issuer)
    title = (title or document_kind.title).strip()
    data = _clean_data(document_kind, data, title)
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    with transaction.atomic():
        sequence = _allocate_sequence(issuer=issuer, number_code=document_kind.number_code,
                                      year=year)
        document = _store(kind=document_kind, issuer=issuer, addressee=addressee, data=data,
                          title=title, actor=actor, target=target, year=year, sequence=sequence,
                          version=1, previous=None, issued_at=issued_at)
        audit_record(actor=actor, verb="document.issue", target=document, organization=issuer,
                     changes={"number": [None, document.number], "sha256": [None, document.sha256]})
    return document


def document_correct(*, document: Document, actor, data: dict) -> Document:
    """Issue a corrected version: same number, next version, pointing to ``document``,
    which becomes 已更正. ``data`` holds the changed fields."""
    document_kind = _kind(document.kind)
    policy.require(actor, document_kind.capability, document.issuer)
    if document.status != DocumentStatus.ISSUED:
        raise ValidationError("只能更正现行有效的公文。")
    merged = _clean_data(document_kind, {**document.data, **data}, document.title)
    if merged == document.data:
        raise ValidationError("更正内容与原文相同。")
    with transaction.atomic():
        correction = _store(
            kind=document_kind, issuer=document.issuer, addressee=document.addressee,
            data=merged, title=document.title, actor=actor, target=document.target,
            year=document.year, sequence=document.sequence, version=document.version + 1,
            previous=document, issued_at=timezone.now())
        _transition(document=document, target=DocumentStatus.SUPERSEDED, actor=actor,
                    note=f"由第{correction.version}版更正")
        _rectification_follow(old=document, new=correction, actor=actor,
                              reason=f"通知书已更正为第{correction.version}版")
        changed = {key: [document.data.get(key), merged.get(key)] for key in merged
                   if merged.get(key) != document.data.get(key)}
        audit_record(actor=actor, verb="document.correct", target=correction,
                     organization=document.issuer, changes=changed,
                     note=f"更正 {document.number} 第{document.version}版")
    return correction


def _transition(*, document: Document, target: str, actor, note: str = "",
                updates: dict | None = None) -> Document:
    return transition_apply(workflow=DOCUMENT_WORKFLOW, obj=document, target=target,
                            actor=actor, note=note, updates=updates)


def document_void(*, document: Document, actor, reason: str) -> Document:
    """Void a document; its number stays used and is never given again."""
    limit = Document._meta.get_field("void_reason").max_length
    if len(reason.strip()) > limit:
        raise ValidationError({"reason": f"作废理由不能超过{limit}字。"})
    with transaction.atomic():
        _transition(document=document, target=DocumentStatus.VOIDED, actor=actor, note=reason,
                    updates={"voided_at": timezone.now(), "voided_by": actor,
                             "void_reason": reason.strip()})
        _rectification_follow(old=document, new=None, actor=actor,
                              reason=f"通知书已作废：{reason.strip()}")
    return document


def supervision_notice_issue(
    *,
    actor,
    issuer: Organization,
    addressee: Organization,
    facts: str,
    legal_basis: str,
    rectification: str,
    deadline: dt.date,
    report_method: str,
    contact: str = "",
    attachments: list[str] | None = None,
    title: str | None = None,
    target: models.Model | None = None,
    kind: str = SUPERVISION_NOTICE.code,
) -> Document:
    """Issue a 行政执法监督通知书 (M7.5) to ``addressee`` with its rectification deadline —
    or, with ``kind``, the 条例's 意见书 or 决定书 (``supervision.INSTRUMENTS``), which run
    the same deadline and loop."""
    if kind not in INSTRUMENTS:
        raise ValidationError({"kind": "请选择监督通知书、监督意见书或监督决定书。"})
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": "整改期限须晚于今天。"})
    if deadline.year > LAST_YEAR:
        raise ValidationError({"deadline": f"整改期限不能晚于{LAST_YEAR}年12月31日，请核对日期。"})
    texts = {"facts": facts, "legal_basis": legal_basis, "rectification": rectification,
             "report_method": report_method, "contact": contact,
             "attachments": "\n".join(attachments or [])}
    too_long = {key: f"{NOTICE_LABELS[key]}不能超过{NOTICE_LIMITS[key]}字（现为{len(text)}字）。"
                for key, text in texts.items() if len(text) > NOTICE_LIMITS[key]}
    if too_long:
        raise ValidationError(too_long)
    data = {"addressee": addressee.name, "facts": facts, "legal_basis": legal_basis,
            "rectification": rectification, "deadline": deadline, "report_method": report_method,
            "contact": contact, "attachments": list(attachments or [])}
    with transaction.atomic():
        document = document_issue(kind=kind, issuer=issuer, data=data,
                                  target=target, actor=actor, title=title, addressee=addressee)
        _rectification_open(document=document, actor=actor)
        notification_send(
            recipients=[addressee], subject=f"收到{document.number}《{document.title}》",
            body=f"请于{formats.due_text(end_of_day(deadline))}前完成整改并报告整改情况。",
            target=document, url=document.get_absolute_url(), actor=actor)
    return document


def _rectification_open(*, document: Document, actor) -> None:
    """M7.5: the rectification deadline is the date written in the notice (24:00)."""
    due = dt.date.fromisoformat(document.data["deadline"])
    deadline_open(target=document, rule="rectification", responsible=document.addressee,
                  start=document.issued_at, due=end_of_day(due), actor=actor,
                  note=f"{document.number}规定的整改期限")


def _rectification_follow(*, old: Document, new: Document | None, actor, reason: str) -> None:
    """A voided notice no longer asks for rectification; a corrected one asks by the date
    its new version says."""
    if old.kind not in INSTRUMENTS:
        return
    for deadline in _live_rectification(old):
        deadline_cancel(deadline=deadline, actor=actor, reason=reason)
    if new is not None and new.addressee_id:
        _rectification_open(document=new, actor=actor)


# --- the rectification loop (M7.5) -------------------------------------------------------

def _live_rectification(notice: Document) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Document), target_id=str(notice.pk),
        rule="rectification", state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])


@policy.predicate("报告整改情况或提出异议")
def may_report_rectification(user, notice: Document) -> bool:
    """The unit a notice in force is addressed to, while its rectification is still due
    and nothing it sent waits for the bureau."""
    return (notice.kind in INSTRUMENTS and notice.status == DocumentStatus.ISSUED
            and notice.addressee_id is not None
            and policy.has_capability(user, "supervision.rectify", notice.addressee)
            and _live_rectification(notice).exists()
            and not notice.rectification_reports.filter(
                status=RectificationStatus.SUBMITTED).exists())


def rectification_submit(*, actor, notice: Document, kind: str, body: str,
                         files: list | None = None) -> RectificationReport:
    """M7.5: the unit reports its rectification (or objects, with its reasons), with
    materials; the issuer is notified. Late reports are taken: the deadline, still open
    or overdue, is met only when the bureau accepts."""
    may_report_rectification.require(actor, notice)
    if kind not in RectificationKind.values:
        raise ValidationError({"kind": "请选择整改情况报告或异议。"})
    body = body.strip()
    limit = RectificationReport._meta.get_field("body").max_length
    if not body:
        raise ValidationError({"body": "请填写内容。"})
    if len(body) > limit:
        raise ValidationError({"body": f"内容不能超过{limit}字。"})
    with transaction.atomic():
        report = RectificationReport.objects.create(notice=notice, kind=kind, body=body,
                                                    created_by=actor)
        names = [core_services.attachment_store(
            actor=actor, organization=notice.addressee, fileobj=f, name=f.name, size=f.size,
            target=report).original_name for f in files or []]
        audit_record(actor=actor, verb="rectification.submit", target=report,
                     organization=notice.addressee,
                     changes={"kind": [None, report.get_kind_display()],
                              **({"files": [None, names]} if names else {})},
                     note=notice.number)
        notification_send(
            recipients=[notice.issuer], target=report, url=report.get_absolute_url(),
            actor=actor, subject=f"{notice.addressee.name}就{notice.number}提交了"
                                 f"{report.get_kind_display()}，请审核")
    return report


def rectification_reply(*, actor, report: RectificationReport, target: str, note: str = "",
                        new_deadline: dt.date | None = None) -> RectificationReport:
    """The issuing bureau's answer (RECTIFICATION_WORKFLOW): accept — meets the deadline —,
    send back with a new deadline — the old one cancelled, the new one opened —, or
    answer an objection. The unit is notified."""
    notice = report.notice
    note = note.strip()
    updates = {"reply": note or "验收通过", "replied_by": actor, "replied_at": timezone.now()}
    with transaction.atomic():
        if target == RectificationStatus.RETURNED:
            if new_deadline is None or new_deadline <= timezone.localdate():
                raise ValidationError({"new_deadline": "退回重新整改须确定晚于今天的新整改期限。"})
            if new_deadline.year > LAST_YEAR:
                raise ValidationError({"new_deadline": f"整改期限不能晚于{LAST_YEAR}年12月31日。"})
            updates["new_deadline"] = new_deadline
            policy.require(actor, "supervision.notice", notice.issuer)
            for deadline in _live_rectification(notice):
                deadline_cancel(deadline=deadline, actor=actor,
                                reason=f"整改情况被退回，重新限期至{formats.due_text(end_of_day(new_deadline))}")
        transition_apply(workflow=RECTIFICATION_WORKFLOW, obj=report, target=target, actor=actor,
                         note=note, updates=updates)
        step = RECTIFICATION_WORKFLOW.find(RectificationStatus.SUBMITTED, target)
        notification_send(
            recipients=[notice.addressee], target=report, url=report.get_absolute_url(),
            actor=actor, subject=f"{notice.number}的{report.get_kind_display()}：{step.label}",
            body=updates["reply"])
    return report


# --- housekeeping ------------------------------------------------------------------------


def orphan_files_prune(*, now: dt.datetime | None = None) -> list[str]:
    """The PDFs no document names — written by an issue whose transaction rolled back
    after ``_store`` (the number goes back, the file stayed) — removed once a day old
    (``core.services.orphan_files_prune``; documents are never deleted)."""
    return core_services.orphan_files_prune(Document._meta.get_field("file"), "documents", now=now)
