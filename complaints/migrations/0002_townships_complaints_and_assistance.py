"""M15.2 and M15.5 move into the complaints app (issue 17 item 4): every
``townships.ComplaintNotice`` becomes a ledger entry, every ``townships.AssistanceRequest``
an assistance request of this app; townships' 0003 then drops the old tables.

A notice handed from its receiver to another handler becomes two entries, as a 转办 does
now: the receiver's (已转办, the complainant told who handles it) and the handler's
(channel 其他单位转办, continuing from it, the result reported back). A notice's
district department, when it is neither receiver nor handler, is the unit complained
about (as townships' confidentiality rule treated it). Ledger numbers come from the
document counter (code 投诉举报), as ``services._create`` allocates them. Deadlines,
attachments and notifications on an old request follow it to its new row; the audit
trail's events stay on the old rows (it is append-only)."""
from __future__ import annotations

import secrets
import zoneinfo

from django.db import migrations

LEDGER_CODE = "投诉举报"
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def _allocate(counter_model, unit, year: int) -> int:
    counter, _ = counter_model.objects.get_or_create(issuer=unit, number_code=LEDGER_CODE, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def _entry(apps, unit, received_at, **fields):
    Complaint = apps.get_model("complaints", "Complaint")
    counter = apps.get_model("documents", "DocumentCounter")
    year = received_at.astimezone(BEIJING).year
    sequence = _allocate(counter, unit, year)
    return Complaint.objects.create(
        unit=unit, year=year, sequence=sequence,
        number=f"{unit.short_name or unit.name}投〔{year}〕{sequence}号", received_at=received_at,
        tracking_code="".join(secrets.choice("0123456789") for _ in range(12)), **fields)


def _retarget(apps, old_ct, new_ct, old_id, new_obj, url: str) -> None:
    for label in ("deadlines.Deadline", "core.Attachment"):
        apps.get_model(label).objects.filter(target_type=old_ct, target_id=str(old_id)).update(
            target_type=new_ct, target_id=str(new_obj.pk))
    apps.get_model("deadlines", "Notification").objects.filter(
        target_type=old_ct, target_id=str(old_id)).update(target_type=new_ct, target_id=str(new_obj.pk),
                                                          url=url)


def move(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Notice = apps.get_model("townships", "ComplaintNotice")
    OldRequest = apps.get_model("townships", "AssistanceRequest")
    NewRequest = apps.get_model("complaints", "AssistanceRequest")
    if not Notice.objects.exists() and not OldRequest.objects.exists():
        return
    ct = {name: ContentType.objects.get_or_create(app_label=app, model=name.split(".")[1])[0]
          for name, app in (("townships.complaintnotice", "townships"),
                            ("townships.assistancerequest", "townships"),
                            ("complaints.complaint", "complaints"),
                            ("complaints.assistancerequest", "complaints"))}

    for notice in Notice.objects.select_related("receiver", "handler", "department").order_by("received_at", "pk"):
        told, done = notice.status != "received", notice.status == "result_reported"
        common = dict(kind="complaint", complainant_name=notice.complainant_name,
                      complainant_phone=notice.complainant_contact, matter=notice.summary,
                      created_by_id=notice.created_by_id,
                      subject_org=(notice.department if notice.department_id not in
                                   (notice.receiver_id, notice.handler_id) else None))
        origin = None
        if notice.receiver_id != notice.handler_id:
            origin = _entry(apps, notice.receiver, notice.received_at, channel="phone",
                            status="transferred", transferred_to=notice.handler,
                            told_at=notice.told_at, **common)
        status = "answered" if done else ("accepted" if told else "registered")
        entry = _entry(
            apps, notice.handler, notice.received_at, channel="transfer" if origin else "phone",
            referred_from=origin, status=status,
            accepted_at=notice.told_at if told else None,
            result=notice.result if done else "", concluded_at=notice.result_at if done else None,
            answer=notice.result if done else "", answered_at=notice.result_at if done else None,
            **common)
        _retarget(apps, ct["townships.complaintnotice"], ct["complaints.complaint"], notice.pk, entry,
                  f"/complaints/{entry.pk}/")

    for old in OldRequest.objects.order_by("pk"):
        new = NewRequest.objects.create(
            requester_id=old.requester_id, addressee_id=old.addressee_id, kind=old.kind,
            subject=old.subject, content=old.content, letter_id=old.letter_id,
            reply_due=old.reply_due, status=old.status, reply=old.reply, replied_at=old.replied_at,
            created_by_id=old.created_by_id)
        NewRequest.objects.filter(pk=new.pk).update(created_at=old.created_at)
        _retarget(apps, ct["townships.assistancerequest"], ct["complaints.assistancerequest"], old.pk,
                  new, f"/complaints/assistance/{new.pk}/")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("townships", "0002_text_lengths_and_recorded"),
        ("documents", "0004_rectification_reports"),
        ("deadlines", "0006_extension_requests_imposed_by"),
        ("core", "0009_event_chain"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
