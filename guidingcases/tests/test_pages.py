"""The guiding-case pages, the public portal and the API: what each viewer sees (M11),
and that a published case never shows a party's name or ID number (M11.3)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Role
from core.testing import member
from dashboard.registry import Period, Scope
from guidingcases.dashboard import guidingcases_panel
from guidingcases.models import GuidingCase

from .conftest import COMPANY, CREDIT, ID_NUMBER, NAME, TEXTS
from .test_services import REASONS, nominate, published

pytestmark = pytest.mark.django_db
SECRETS = (NAME, ID_NUMBER, COMPANY, CREDIT)


def test_m11_3_published_case_shows_no_party_name_or_id_on_the_page_the_portal_and_the_api(district, client):
    gc = published(district)
    client.force_login(district.supervisor)
    pages = [client.get(gc.get_absolute_url()), client.get(reverse("guidingcases_public:list")),
             client.get(gc.get_public_url()), client.get(f"/api/v1/guiding-cases/{gc.pk}/")]
    client.logout()
    pages.append(client.get(gc.get_public_url()))  # the public, not signed in
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body
    assert gc.title in pages[-1].content.decode()


def test_m11_3_portal_shows_only_published_cases(district, client):
    draft = nominate(district, texts={**TEXTS, "title": "尚在审查的案例"})
    assert client.get(draft.get_public_url()).status_code == 404
    gc = published(district)
    listing = client.get(reverse("guidingcases_public:list")).content.decode()
    assert gc.title in listing and draft.title not in listing
    assert "行政执法指导案例" in client.get(reverse("portal:index")).content.decode()


def test_m11_2_list_filters_exports_and_shows_the_shortfall_to_the_bureau(district, client):
    gc = nominate(district)
    client.force_login(district.supervisor)
    page = client.get(reverse("guidingcases:list"), {"q": "过期"}).content.decode()
    assert gc.title in page and 'id="shortfall"' in page and "区城市管理综合行政执法局" in page
    assert gc.title not in client.get(reverse("guidingcases:list"), {"q": "不存在的"}).content.decode()
    export = client.get(reverse("guidingcases:list"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_m11_scope_a_department_sees_its_own_an_expert_what_he_is_invited_on(district, client):
    gc = nominate(district)
    client.force_login(district.urban_head)
    assert client.get(gc.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/guiding-cases/").json()["count"] == 0
    client.force_login(district.expert)
    assert client.get(gc.get_absolute_url()).status_code == 404
    client.force_login(district.legal)
    assert client.get(gc.get_absolute_url()).status_code == 200
    assert client.get("/api/v1/guiding-cases/").json()["count"] == 1


def test_m11_2_nomination_form_keeps_what_was_typed_on_error(district, client):
    case = district.closed_case()
    client.force_login(district.legal)
    response = client.post(reverse("guidingcases:nominate"), {"case": case.pk, **TEXTS})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    assert "明确了“用于加工”的认定标准" in response.content.decode()
    response = client.post(reverse("guidingcases:nominate"), {"case": case.pk, "reasons": REASONS, **TEXTS})
    assert response.status_code == 302 and GuidingCase.objects.filter(case=case).exists()


def test_m11_dashboard_panel_in_two_statements_with_links(district, django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    from core import policy

    published(district)
    nominate(district)
    year = timezone.localdate().year
    user = district.supervisor
    scope = Scope(user=user, viewer=policy.viewer(user), now=timezone.now(),
                  period=Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年"),
                  organizations=(), org_ids=None)
    with django_assert_max_num_queries(2):
        panel = guidingcases_panel(scope)
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["已发布"].value == 1 and figures["待审查"].value == 1
    assert "status=published" in figures["已发布"].url
    assert figures["报送不足3件的部门"].value == 2  # both departments below three


def test_m11_pages_refuse_who_may_not_act(district, client):
    gc = nominate(district)
    client.force_login(member(Role.OFFICER, district.market))
    assert client.get(reverse("guidingcases:invite", args=[gc.pk])).status_code == 403
    assert client.get(reverse("guidingcases:publish", args=[gc.pk])).status_code == 403
