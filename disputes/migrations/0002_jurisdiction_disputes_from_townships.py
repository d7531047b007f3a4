"""M15.6 moves into the dispute machinery: every ``townships.JurisdictionDispute`` becomes
a dispute of kind 管辖 between its two sides, in the state it had reached; its recorded
negotiation becomes each side's negotiation record. townships 0003 then removes the model."""
from django.db import migrations

# townships.DisputeStatus → disputes.DisputeStatus
STATUS = {"negotiating": "draft", "submitted": "submitted", "settled": "settled",
          "decided": "ruled"}
MIGRATED = "（原管辖争议记录）"


def _local_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def forwards(apps, schema_editor):
    Old = apps.get_model("townships", "JurisdictionDispute")
    Organization = apps.get_model("core", "Organization")
    Dispute = apps.get_model("disputes", "Dispute")
    Party = apps.get_model("disputes", "DisputeParty")
    Position = apps.get_model("disputes", "NegotiationPosition")
    rows = list(Old.objects.order_by("pk"))
    if not rows:
        return
    bureau = Organization.objects.filter(kind="justice_bureau").order_by("pk").first()
    government = Organization.objects.filter(kind="government").order_by("pk").first()
    if bureau is None:
        raise RuntimeError("迁移管辖争议须先设置区司法局（协调机关）。")
    for old in rows:
        status = STATUS[old.status]
        negotiated = old.negotiated_at or old.created_at
        dispute = Dispute.objects.create(
            applicant_id=old.applicant_id, kind="jurisdiction", subject=old.subject,
            facts=old.description, coordinator=bureau, status=status, created_by_id=old.created_by_id,
            filed_at=None if status == "draft" else negotiated,
            agreement=old.negotiation if status == "settled" else "",
            agreed_at=negotiated if status == "settled" else None,
            settled_at=negotiated if status == "settled" else None,
            government=government if status in ("submitted", "ruled") else None,
            submitted_at=negotiated if status in ("submitted", "ruled") else None,
            ruling=(old.decision or MIGRATED) if status == "ruled" else "",
            competent_id=old.competent_id if status == "ruled" else None,
            ruled_at=(old.decided_at or negotiated) if status == "ruled" else None)
        # auto_now_add set today's time on create: keep the original registration time.
        Dispute.objects.filter(pk=dispute.pk).update(created_at=old.created_at)
        for org_id, is_applicant in ((old.applicant_id, True), (old.respondent_id, False)):
            party = Party.objects.create(dispute=dispute, organization_id=org_id,
                                         is_applicant=is_applicant)
            if old.negotiation.strip():
                Position.objects.create(dispute=dispute, party=party,
                                        negotiated_on=_local_date(negotiated),
                                        representatives=MIGRATED, position=old.negotiation,
                                        recorded_by_id=old.created_by_id)


class Migration(migrations.Migration):

    dependencies = [
        ("disputes", "0001_initial"),
        ("townships", "0002_text_lengths_and_recorded"),
        ("core", "__first__"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
