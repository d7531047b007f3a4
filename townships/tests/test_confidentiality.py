"""举报人保密 (SPEC, "Who uses it"): a complainant's name and contact reach the handling
unit and the justice bureau only — never the unit complained about, on any page, list,
export or API answer of the platform."""
from __future__ import annotations

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core import policy
from core.models import ExportJob, Membership, Role
from core.testing import supervisor
from townships import services
from townships.models import ComplaintStatus

from .conftest import COMPLAINANT, PHONE

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOWNSHIP_LISTS = ["townships:home", "townships:dissuasions", "townships:complaints",
                  "townships:assistance_list", "townships:consultations", "townships:info_notices"]
# Not pages a record's data is read on: the admin (no unit user is staff), signing out,
# the schema and its viewer (the API's shape, no data).
SKIP = re.compile(r"^(admin/|accounts/logout/|api/schema/|api/docs/)")
ID = re.compile(r"<int:\w+>|\(\?P<pk>\[\^/\.\]\+\)")


def _routes(resolver=None, prefix: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _addresses(user) -> list[str]:
    """Every GET address of the platform: each route as it is, or, for a route naming a
    record, with the id of every row this user's scopes let through (and their exports)."""
    ids = {pk for model in policy.scoped_models()
           for pk in policy.visible_to(user, model).values_list("pk", flat=True)}
    ids |= set(ExportJob.objects.filter(owner=user).values_list("pk", flat=True))
    addresses = []
    for route in _routes():
        if SKIP.match(route) or "<" in ID.sub("", route) or "(?P" in ID.sub("", route):
            continue  # a route with a parameter other than an id (a token, a format …)
        if ID.search(route):
            addresses += ["/" + ID.sub(str(pk), route) for pk in sorted(ids)]
        else:
            addresses.append("/" + route)
    return addresses


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(body))
        return "\n".join(str(v) for sheet in book for row in sheet.values for v in row if v)
    return body.decode("utf-8", errors="replace")


@pytest.fixture
def complained_about(world):
    """A user of the department complained about, in every role a unit has, so that every
    page the department can open is opened; the complaint has been through its steps."""
    user = world.dept_head
    for role in (Role.OFFICER, Role.LEGAL_OFFICER, Role.LIAISON):
        Membership.objects.create(user=user, organization=world.department, role=role)
    policy.forget(user)
    services.complaint_transition(actor=world.town_officer, complaint=world.complaint,
                                  target=ComplaintStatus.HANDLER_TOLD)
    services.complaint_transition(actor=world.town_officer, complaint=world.complaint,
                                  target=ComplaintStatus.RESULT_REPORTED, note="已责令停工")
    return user


def test_no_page_of_the_platform_shows_the_complainant_to_the_unit_complained_about(
        world, complained_about, client):
    client.force_login(complained_about)
    opened = 0
    for address in _addresses(complained_about):
        response = client.get(address)
        if response.status_code != 200:
            continue
        opened += 1
        text = _text(response)
        assert COMPLAINANT not in text and PHONE not in text, address
    # The walk did reach the complaint: its page and its row in the API, both masked.
    assert opened > 50
    page = client.get(world.complaint.get_absolute_url())
    assert page.status_code == 200 and "（保密）" in _text(page)


@pytest.mark.parametrize("name", TOWNSHIP_LISTS)
def test_no_township_list_or_export_shows_the_complainant_to_the_unit_complained_about(
        world, complained_about, client, name):
    client.force_login(complained_about)
    for params in ({}, {"export": "xlsx"}):
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        text = _text(response)
        assert COMPLAINANT not in text and PHONE not in text, (name, params)
    # Nor does the keyword tell who complained: it does not search the name or contact.
    for q in (COMPLAINANT, PHONE):
        assert "区住建局对工地夜间施工不作为" not in _text(client.get(reverse("townships:complaints"), {"q": q}))
        assert not _text(client.get(reverse("townships:complaints"), {"q": q, "export": "xlsx"})).count("夜间施工")


def test_the_handling_unit_and_the_bureau_see_the_complainant(world, client):
    for user in (world.town_officer, supervisor()):
        client.force_login(user)
        assert PHONE in _text(client.get(world.complaint.get_absolute_url()))
        assert COMPLAINANT in _text(client.get(reverse("townships:complaints"), {"export": "xlsx"}))
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(f"/api/v1/townships/complaints/{world.complaint.pk}/").json()[
            "complainant_contact"] == PHONE


def test_the_receiving_department_no_longer_sees_the_complainant_once_handed_on(world, client):
    """Registered by the department and handed to the township: from then on only the
    township (and the bureau) see who complained."""
    complaint = services.complaint_register(
        actor=world.dept_officer, receiver=world.department, handler=world.township,
        department=world.department, complainant_name="韩立", complainant_contact="13700001111",
        summary="商户占道", received_at=world.complaint.received_at)
    assert not services.may_see_complainant(world.dept_officer, complaint)
    assert services.may_see_complainant(world.town_officer, complaint)
    client.force_login(world.dept_officer)
    assert "韩立" not in _text(client.get(complaint.get_absolute_url()))
    api = APIClient()
    api.force_authenticate(world.dept_officer)
    row = api.get(f"/api/v1/townships/complaints/{complaint.pk}/").json()
    assert row["complainant_name"] is None and row["summary"] == "商户占道"
