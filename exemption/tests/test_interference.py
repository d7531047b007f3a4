"""Interference records (M12.1–M12.2): recorded fully by any officer, refused or not;
append-only — the ORM, the admin, the API and SQL cannot change one without
``interference_verify`` naming it —; a correction is a new linked record; seen by the
officer's head, the discipline commission and the justice bureau, never by the interfering
person's unit unless it is the officer's own."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import InternalError
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AppendOnlyError, Role
from core.testing import assert_audited, justice_bureau, member
from evidence.tests.factories import PNG
from exemption import chain, selectors, services
from exemption.models import InterferenceKind, InterferenceMethod, InterferenceRecord

pytestmark = pytest.mark.django_db


def record(district, *, actor=None, unit=None, **kwargs) -> InterferenceRecord:
    data = dict(
        actor=actor or district.officer, unit=unit or district.market,
        kind=InterferenceKind.CASE_MEDDLING, interferer_name="赵某", interferer_unit="某商贸公司",
        interferer_position="当事人亲属", method=InterferenceMethod.PHONE,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        demand="要求对某案不予立案。", refused=True, response="当场拒绝并报告科室负责人。")
    data.update(kwargs)
    return services.interference_record(**data)


def verify_output() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("interference_verify", stdout=out)
    return out.getvalue()


def test_m12_2_an_officer_records_an_interference_in_full_chained_by_hash(district):
    with assert_audited("exemption.interference.record"):
        first = record(district, files=[(io.BytesIO(PNG), "短信截图.png", len(PNG))])
    second = record(district, actor=district.colleague, refused=False, response="未拒绝，已报告。")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == chain.GENESIS and second.prev_hash == first.hash
    assert len(first.attachment_digests) == 1
    assert chain.verify() == []
    out = io.StringIO()
    call_command("interference_verify", stdout=out)
    assert "哈希链完整" in out.getvalue()


def test_m12_2_the_trail_names_no_one_the_record_names(district):
    r = record(district)
    from core.models import Event

    event = Event.objects.get(verb="exemption.interference.record", target_id=str(r.pk))
    assert "赵某" not in str(event.changes) and "赵某" not in event.note + event.target_repr


def test_m12_1_only_an_officer_of_the_unit_records_and_not_in_the_future(district):
    with pytest.raises(PermissionDenied):
        record(district, actor=district.urban_officer)  # not his unit
    with pytest.raises(PermissionDenied):
        record(district, actor=district.supervisor)
    with pytest.raises(ValidationError, match="不能晚于现在"):
        record(district, occurred_at=timezone.now() + dt.timedelta(hours=1))


def test_m12_2_a_correction_is_a_new_record_linked_to_the_original(district):
    original = record(district)
    with pytest.raises(ValidationError, match="更正理由"):
        record(district, corrects=original)
    with pytest.raises(PermissionDenied):  # only its recorder corrects it
        record(district, actor=district.colleague, corrects=original, correction_reason="时间有误")
    with assert_audited("exemption.interference.correct"):
        fixed = services.interference_record(
            actor=district.officer, unit=district.market, kind=original.kind,
            interferer_name="赵某某", interferer_unit=original.interferer_unit,
            interferer_position=original.interferer_position, method=original.method,
            occurred_at=original.occurred_at, demand=original.demand, refused=True,
            response=original.response, corrects=original, correction_reason="干预人姓名有误。")
    original.refresh_from_db()
    assert original.interferer_name == "赵某" and fixed.corrects == original
    assert list(selectors.record_list(district.head, {"corrected": "yes"})) == [original]


def test_m12_2_who_reads_a_record(district):
    r = record(district)
    readers = {u.username for u in (district.officer, district.colleague, district.head,
                                    district.urban_head, district.supervisor, district.discipline)
               if selectors.records_visible(u).filter(pk=r.pk).exists()}
    assert readers == {"scj1", "scjfzr", "jdy1", "jw1"}


def test_m12_2_never_the_interfering_persons_unit_unless_it_is_the_officers_own(district):
    from_urban = record(district, interferer_org=district.urban, interferer_unit=district.urban.name)
    from_bureau = record(district, interferer_org=justice_bureau(), interferer_unit="区司法局")
    from_own = record(district, interferer_org=district.market, interferer_unit=district.market.name)
    urban_discipline = member(Role.DISCIPLINE, district.urban)  # a role in the interfering unit
    assert not selectors.records_visible(urban_discipline).filter(pk=from_urban.pk).exists()
    assert selectors.records_visible(urban_discipline).filter(pk=from_own.pk).exists()
    assert not selectors.records_visible(district.supervisor).filter(pk=from_bureau.pk).exists()
    assert selectors.records_visible(district.supervisor).filter(pk=from_urban.pk).exists()
    assert selectors.records_visible(district.head).filter(pk=from_own.pk).exists()
    client = APIClient()
    client.force_authenticate(district.supervisor)
    ids = {row["id"] for row in client.get("/api/v1/interference-records/").json()["results"]}
    assert ids == {from_urban.pk, from_own.pk}
    assert client.get(f"/api/v1/interference-records/{from_bureau.pk}/").status_code == 404


@pytest.mark.db_owner  # the intruder below switches the triggers off, as only the owner may
def test_m12_2_a_record_cannot_be_changed_through_the_orm_the_admin_the_api_or_sql_unnoticed(district):
    r = record(district)
    second = record(district, demand="第二次来电。")
    third = record(district, demand="第三次来电。")
    # The ORM: the model and its querysets refuse.
    r.demand = "篡改"
    with pytest.raises(AppendOnlyError):
        r.save()
    with pytest.raises(AppendOnlyError):
        r.delete()
    with pytest.raises(AppendOnlyError):
        InterferenceRecord.objects.filter(pk=r.pk).update(demand="篡改")
    with pytest.raises(AppendOnlyError):
        InterferenceRecord.objects.filter(pk=r.pk).delete()
    # The admin: read-only.
    admin = member(Role.SYSTEM_ADMIN, justice_bureau(), is_staff=True, is_superuser=True)
    from django.test import Client

    web = Client()
    web.force_login(admin)
    url = f"/admin/exemption/interferencerecord/{r.pk}/"
    assert web.post(f"{url}change/", {"demand": "篡改"}).status_code == 403
    assert web.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    # The API: no update, no delete.
    api = APIClient()
    api.force_authenticate(district.officer)
    api_url = f"/api/v1/interference-records/{r.pk}/"
    assert api.get(api_url).status_code == 200
    assert api.patch(api_url, {"demand": "篡改"}, format="json").status_code == 405
    assert api.put(api_url, {"demand": "篡改"}, format="json").status_code == 405
    assert api.delete(api_url).status_code == 405
    assert api.post("/api/v1/interference-records/", {"demand": "x"}, format="json").status_code == 405
    # SQL: the database refuses.
    table = InterferenceRecord._meta.db_table
    for sql in (f"UPDATE {table} SET demand = '篡改' WHERE id = {r.pk}",
                f"DELETE FROM {table} WHERE id = {r.pk}"):
        with pytest.raises(InternalError, match="只能追加"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    InterferenceRecord._base_manager.get(pk=r.pk)  # still there
    assert chain.verify() == []
    # A superuser who switches the triggers off is found by the verify command.
    with connection.cursor() as c:
        c.execute("SET session_replication_role = replica")
        try:
            c.execute(f"UPDATE {table} SET demand = '篡改' WHERE id = %s", [r.pk])
            c.execute(f"DELETE FROM {table} WHERE id = %s", [second.pk])
        finally:
            c.execute("SET session_replication_role = DEFAULT")
    output = verify_output()
    assert f"干预记录 #{r.pk}：内容与哈希不符" in output
    assert "链序号 2 至 2 的干预记录缺失" in output
    # An inserted record that takes the next place with a forged hash is named too.
    forged = InterferenceRecord(**{f.attname: getattr(third, f.attname)
                                   for f in InterferenceRecord._meta.concrete_fields if f.attname != "id"})
    forged.seq, forged.prev_hash, forged.hash = 4, third.hash, "f" * 64
    forged.save()
    assert f"干预记录 #{forged.pk}：内容与哈希不符" in verify_output()


def test_m12_2_a_replaced_attachment_is_named(district):
    r = record(district, files=[(io.BytesIO(PNG), "截图.png", len(PNG))])
    from core.selectors import attachments_of

    stored = attachments_of(district.officer, r).get()
    with stored.file.open("wb") as f:
        f.write(PNG + b"x")
    assert f"干预记录 #{r.pk}：附件与记录时不符" in verify_output()


def test_m12_2_the_files_are_read_only_by_the_records_readers(client, district):
    r = record(district, files=[(io.BytesIO(PNG), "短信截图.png", len(PNG))])
    from core.models import Attachment

    file = Attachment.objects.get(target_id=str(r.pk))
    api = APIClient()
    api.force_authenticate(district.colleague)  # same unit, not a reader of the record
    assert api.get("/api/v1/attachments/").json()["results"] == []
    client.force_login(district.colleague)
    assert client.get(file.get_absolute_url()).status_code == 404
    client.force_login(district.head)
    assert client.get(file.get_absolute_url()).status_code == 200
