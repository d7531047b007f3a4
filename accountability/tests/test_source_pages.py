"""A source's page lists the proceedings opened from it (M8.1): the referral's, the ordered
transfer's and — for the findings it shows — the check's, each linking to the proceeding,
and only to those the viewer may see (accountability.selectors.proceedings_on_page, one
include for every detail page)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability import selectors
from accountability.tests.test_proceedings import _referral_failure
from cases.testing import CaseFactory
from core.testing import justice_bureau
from inspections import services as inspection_services
from inspections.models import CheckItem, CheckKind, CheckMethod
from transfers.models import TransferOrder

pytestmark = pytest.mark.django_db


def _box(client, url) -> str:
    text = client.get(url).content.decode()
    start = text.find('id="source-proceedings"')
    return text[start:text.find("</ul>", start)] if start >= 0 else ""


def test_m8_1_the_referral_page_links_to_its_proceeding_for_those_who_may_see_it(client, district):
    referral = _referral_failure(district)
    url = referral.get_absolute_url()
    client.force_login(district.legal)
    assert _box(client, url) == ""  # no proceeding yet: no box
    p = district.proceeding(source_kind="discipline_referral", source_id=referral.pk)
    box = _box(client, url)
    assert "据此启动的责任追究" in box and f'href="{p.get_absolute_url()}"' in box and p.get_status_display() in box
    client.force_login(district.supervisor)  # the justice bureau supervises every agency's
    assert p.get_absolute_url() in _box(client, url)
    # A colleague in the department reads the referral, not a proceeding against another officer.
    client.force_login(district.colleague)
    response = client.get(url)
    assert response.status_code == 200 and p.get_absolute_url() not in response.content.decode()
    assert selectors.proceedings_on_page(district.colleague, referral) == []


def test_m8_1_the_ordered_transfer_page_links_to_its_proceeding(client, district):
    case = CaseFactory(department=district.market)
    case.officers.add(district.colleague)
    order = TransferOrder.objects.create(
        issuer=justice_bureau(), department=district.market, case=case, receiver=district.urban,
        reason="涉嫌犯罪应移送。", due=timezone.now() + dt.timedelta(days=3), created_by=district.supervisor)
    p = district.proceeding(actor=district.head, officers=[district.colleague],
                            source_kind="transfer_order", source_id=order.pk)
    client.force_login(district.head)
    assert f'href="{p.get_absolute_url()}"' in _box(client, order.get_absolute_url())


def test_m8_1_a_check_page_links_to_the_proceedings_opened_from_its_findings(client, district):
    today = timezone.localdate()
    bureau = justice_bureau()
    check = inspection_services.check_create(
        actor=district.supervisor, organizer=bureau, title="市场监管专项检查", kind=CheckKind.SPECIAL,
        method=CheckMethod.SPOT_CHECK, items=[CheckItem.THREE_SYSTEMS], units=[district.market],
        team=[district.supervisor], starts_on=today, ends_on=today, field_note="食品安全",
        materials_request="案卷目录。", materials_due_on=today)
    inspection_services.check_start(actor=district.supervisor, check=check)
    finding = inspection_services.finding_add(actor=district.supervisor, check=check, unit=district.market,
                                              item=CheckItem.THREE_SYSTEMS, description="2件处罚决定未按时公示。")
    inspection_services.check_transition(actor=district.supervisor, check=check, target="finished")
    inspection_services.check_bulletin_issue(actor=district.supervisor, check=check, summary="开展了专项检查。",
                                             requirements="举一反三。")
    p = district.proceeding(source_kind="inspection_finding", source_id=finding.pk)
    client.force_login(district.supervisor)
    box = _box(client, check.get_absolute_url())
    assert f'href="{p.get_absolute_url()}"' in box and "监督检查发现的问题" in box
    client.force_login(district.urban_head)  # another agency's proceeding, not on its view
    assert selectors.proceedings_on_page(district.urban_head, check) == []


def test_a_record_that_is_no_source_costs_the_page_no_query(district):
    case = CaseFactory(department=district.market)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.proceedings_on_page(district.supervisor, case) == []
    assert len(queries) == 0
