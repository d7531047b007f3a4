"""Issue 16 item 13: two requests that both pass a service's "is it free?" check race to
the insert; the loser answers 400 with a Chinese sentence, on the pages and the API, for
any unique constraint — never a 500 that invites a retry."""
import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import EnforcementCase
from cases.testing import certified_officer, party_data
from core.integrity import unique_violation_message
from core.models import Organization
from core.testing import OrganizationFactory

NUMBER = "北市监罚〔2026〕7号"
SENTENCE = "执法案件的“办案单位、案件编号”与已有记录重复"


def _payload(dept, officers):
    return {"department": dept.pk, "number": NUMBER, "act_type": "penalty", "field": "market",
            "summary": "无证经营。", "discovered_at": "2026-01-05T09:30:00+08:00",
            "filed_on": "2026-01-06", "officers": [o.pk for o in officers],
            "parties": [party_data(id_number="130304199001011111")]}


@pytest.fixture
def lost_race(monkeypatch):
    """The service's check passes as it does for both racers; the database decides."""
    monkeypatch.setattr(case_services, "_check_number_free", lambda **kwargs: None)


@pytest.mark.django_db
def test_the_api_answers_400_in_chinese_for_the_loser(lost_race):
    dept = OrganizationFactory()
    officers = [certified_officer(dept), certified_officer(dept)]
    api = APIClient()
    api.force_authenticate(officers[0])
    assert api.post("/api/v1/cases/", _payload(dept, officers), format="json").status_code == 201
    response = api.post("/api/v1/cases/", _payload(dept, officers), format="json")
    assert response.status_code == 400
    assert SENTENCE in response.json()["detail"]


@pytest.mark.django_db
def test_the_page_answers_400_in_chinese_for_the_loser(client, lost_race):
    dept = OrganizationFactory()
    officers = [certified_officer(dept), certified_officer(dept)]
    client.force_login(officers[0])
    form = {"department": dept.pk, "number": NUMBER, "act_type": "penalty", "field": "market",
            "summary": "无证经营。", "discovered_at": "2026-01-05T09:30", "filed_on": "2026-01-06",
            "officers": [o.pk for o in officers], "party-kind": "person", "party-name": "钱七",
            "party-id_number": "130304199001011111"}
    assert client.post(reverse("cases:register"), form).status_code == 302
    response = client.post(reverse("cases:register"), form)
    assert response.status_code == 400 and SENTENCE in response.content.decode()


@pytest.mark.django_db
def test_every_unique_constraint_is_named_in_chinese():
    from django.db import IntegrityError, transaction

    Organization.objects.create(name="北戴河区测试局", short_name="北测", kind="department")
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Organization.objects.create(name="北戴河区测试局", short_name="北测二", kind="department")
    assert unique_violation_message(exc.value).startswith("单位的“全称”与已有记录重复")
    assert unique_violation_message(ValueError("x")) is None


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_registrations_of_one_number_answer_201_once_and_400_otherwise():
    dept = OrganizationFactory()
    officers = [certified_officer(dept), certified_officer(dept)]
    barrier = threading.Barrier(10)
    statuses, bodies = [], []

    def register():
        api = APIClient()
        api.force_authenticate(officers[0])
        try:
            barrier.wait()
            response = api.post("/api/v1/cases/", _payload(dept, officers), format="json")
            statuses.append(response.status_code)
            bodies.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [400] * 9, bodies
    assert EnforcementCase.objects.filter(number=NUMBER).count() == 1
    assert all("重复" in b or "已有编号" in b for b, s in zip(bodies, statuses) if s == 400)
