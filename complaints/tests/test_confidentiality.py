"""举报人保密 (issue 17 item 5): the complainant's identity and contact are shown only to
the handling unit and the justice bureau — never to the unit or the officer complained
about: not on any page, API answer, export, PDF, notification, e-mail, audit trail,
search or count. The walk signs in as the unit complained about (every role it has) and
as its officer, and opens every GET address of the platform: each route without an id,
and each route naming a record with every id of that record's model their scopes let
through (of every model of its app, and every ledger entry, material and assistance
request, where the view does not say which model)."""
from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from complaints import services
from complaints.models import (AnswerMethod, AssistanceKind, AssistanceRequest, AssistanceStatus, Complaint,
                               ComplaintFile, ComplaintStatus as S)
from core import policy
from core.models import Attachment, ExportJob, Membership, Role
from deadlines.models import Deadline, ExtensionRequest, Notification

from .conftest import COMPLAINANT, ID_NUMBER, PHONE, png

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SKIP = re.compile(r"^(admin/|accounts/logout/|api/schema/|api/docs/)")
ID = re.compile(r"<int:\w+>|\(\?P<pk>\[\^/\.\]\+\)")
# The complaint the unit handles about its own officer: its staff see who; the officer never.
OWN_COMPLAINANT, OWN_PHONE = "韩立", "13700001111"


# The records a route names, for the views that do not declare their model.
NAMED = {"core:attachment_download": Attachment, "core:export_job": ExportJob,
         "core:export_job_status": ExportJob, "core:export_download": ExportJob, "deadlines:detail": Deadline, "deadlines:waive": Deadline,
         "deadlines:extend": Deadline, "deadlines:extension_request": Deadline,
         "deadlines:extension_decide": ExtensionRequest, "deadlines:notification_open": Notification,
         "deadlines:notification_read": Notification}


def _routes(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, the app of its view, the model its id names when the view says so)."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route, f"{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            view = (getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
                    or entry.callback)
            model = (getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
                     or NAMED.get(f"{namespace}{entry.name}"))
            yield route, view.__module__.split(".")[0], model


def _addresses(user) -> list[str]:
    """Every GET address: each route, or for a route naming a record, with the id of every
    row of that model this user's scopes let through — for a view that does not say which
    model, of every model of its app, and of every ledger entry, material and assistance
    request (what another app's page could be opened on to reach a complaint). Each route
    with every id of every model would be the same walk, only with ids that name nothing
    at that address."""
    def visible(model) -> set[int]:
        if model is ExportJob:
            rows = ExportJob.objects.filter(owner=user)
        elif model in policy.scoped_models():
            rows = policy.visible_to(user, model)
        else:
            rows = model._default_manager.all()
        return set(rows.values_list("pk", flat=True))

    per_app: dict[str, set[int]] = {}
    for model in (*policy.scoped_models(), ExportJob):
        per_app.setdefault(model._meta.app_label, set()).update(visible(model))
    reaching = {pk for model in (Complaint, ComplaintFile, AssistanceRequest)
                for pk in model.objects.values_list("pk", flat=True)}
    addresses = []
    for route, app, model in _routes():
        if SKIP.match(route) or "<" in ID.sub("", route) or "(?P" in ID.sub("", route):
            continue
        if ID.search(route):
            ids = visible(model) if model else per_app.get(app, set()) | reaching
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
def world(district, django_capture_on_commit_callbacks):
    """The justice bureau handles a complaint about 城管局 and its officer directly and
    asks 城管局 to assist; the township handles a portal complaint about 城管局 and asks
    too; 城管局 handles one about its own officer. The e-mails go out (after commit)."""
    d = district
    for role in (Role.OFFICER, Role.LEGAL_OFFICER, Role.LIAISON):
        Membership.objects.create(user=d.urban_head, organization=d.urban, role=role)
    policy.forget(d.urban_head)
    with django_capture_on_commit_callbacks(execute=True):
        direct = d.register(unit=d.bureau, actor=d.supervisor, subject_org=d.urban, confidential=True,
                            subject_officer=d.urban_officer, complainant_address="北戴河区保二路8号",
                            files=[png(f"{COMPLAINANT}身份证.png")])
        services.complaint_transition(actor=d.supervisor, complaint=direct, target=S.ACCEPTED)
        request = services.assistance_request(
            actor=d.supervisor, requester=d.bureau, addressee=d.urban, kind=AssistanceKind.INVESTIGATION,
            complaint=direct, subject="协助调查扣押程序", content="请提供扣押清单。",
            reply_due=timezone.localdate())
        services.assistance_answer(actor=d.urban_head, request=request, target=AssistanceStatus.REPLIED,
                                   reply="清单附后。")
        services.complaint_transition(actor=d.supervisor, complaint=direct, target=S.INVESTIGATING)
        services.complaint_transition(actor=d.supervisor, complaint=direct, target=S.CONCLUDED,
                                      note="扣押程序存在瑕疵，已责令纠正。")
        services.complaint_answer(actor=d.supervisor, complaint=direct, method=AnswerMethod.PHONE,
                                  answered_at=timezone.now(), answer="已责令纠正。")
        portal = services.complaint_submit_public(
            unit=d.township, kind="report", complainant_name=COMPLAINANT, complainant_phone=PHONE,
            complainant_id_number=ID_NUMBER, subject_org=d.urban, matter="城管执法人员收取摊贩好处费。")
        services.complaint_transition(actor=d.town_officer, complaint=portal, target=S.ACCEPTED)
        services.assistance_request(
            actor=d.town_officer, requester=d.township, addressee=d.urban, kind=AssistanceKind.INVESTIGATION,
            complaint=portal, subject="协助核查", content="请说明当日执勤安排。", reply_due=timezone.localdate())
        own = d.register(unit=d.urban, actor=d.urban_head, subject_org=d.urban,
                         subject_officer=d.urban_officer, complainant_name=OWN_COMPLAINANT,
                         complainant_phone=OWN_PHONE, complainant_id_number="", matter="执法人员态度粗暴。")
    d.direct, d.portal, d.own = direct, portal, own
    return d


def _never(text: str, secrets: tuple[str, ...], where: str) -> None:
    for secret in secrets:
        assert secret not in text, (secret, where)


@pytest.mark.parametrize("who", ["unit", "officer"])
def test_m3_no_surface_shows_the_complainant_to_the_unit_or_officer_complained_about(world, client, who):
    user = world.urban_head if who == "unit" else world.urban_officer
    secrets = (COMPLAINANT, ID_NUMBER, PHONE, "保二路8号")
    if who == "officer":
        secrets += (OWN_COMPLAINANT, OWN_PHONE)
    client.force_login(user)
    opened = 0
    for address in _addresses(user):  # pages, lists, exports' own addresses, the API, the dashboard
        response = client.get(address)
        if response.status_code != 200:
            continue
        opened += 1
        _never(_text(response), secrets, address)
    assert opened > 40
    # The walk reached the entries: their pages open, masked.
    for complaint in (world.direct, world.portal):
        page = _text(client.get(complaint.get_absolute_url()))
        assert "（保密）" in page and complaint.number in page and 'id="files"' not in page
    # Every list as Excel, and searching by the complainant's name or phone.
    for name in ("complaints:list", "complaints:assistance_list", "complaints:channels", "deadlines:list"):
        _never(_text(client.get(reverse(name), {"export": "xlsx"})), secrets, name)
    for q in (COMPLAINANT, PHONE, ID_NUMBER):
        found = _text(client.get(reverse("complaints:list"), {"q": q}))
        assert world.direct.number not in found and world.portal.number not in found
        exported = _text(client.get(reverse("complaints:list"), {"q": q, "export": "xlsx"}))
        assert world.direct.number not in exported and world.portal.number not in exported
    api = APIClient()
    api.force_authenticate(user)
    rows = api.get("/api/v1/complaints/").json()["results"]
    assert {r["number"] for r in rows} >= {world.direct.number, world.portal.number}
    assert all(r["complainant_name"] is None for r in rows if r["number"] != world.own.number or who == "officer")
    assert api.get("/api/v1/complaints/", {"search": COMPLAINANT}).json()["results"] == []
    _never(str(api.get("/api/v1/events/").content), secrets, "events")
    # The material named after the complainant does not download either.
    file = world.direct.files.get()
    assert client.get(reverse("complaints:file", args=[file.pk])).status_code == 404
    # Notifications and e-mails that reached them.
    for n in Notification.objects.filter(recipient=user):
        _never(n.subject + n.body, secrets, f"notification {n.subject}")
    mails = [m for m in mail.outbox if user.email in m.to]
    for m in mails:
        _never(m.subject + m.body, secrets, f"mail {m.subject}")


def test_m3_the_handling_unit_and_the_bureau_see_the_complainant(world, client):
    for user, complaint in ((world.supervisor, world.direct), (world.town_officer, world.portal),
                            (world.urban_head, world.own)):
        client.force_login(user)
        page = _text(client.get(complaint.get_absolute_url()))
        assert complaint.complainant_phone in page and complaint.complainant_name in page
        assert complaint.complainant_name in _text(client.get(reverse("complaints:list"), {"export": "xlsx"}))
    client.force_login(world.supervisor)
    assert client.get(reverse("complaints:file", args=[world.direct.files.get().pk])).status_code == 200
    api = APIClient()
    api.force_authenticate(world.town_officer)
    assert api.get(f"/api/v1/complaints/{world.portal.pk}/").json()["complainant_phone"] == PHONE


def test_m3_no_audit_event_or_notification_carries_the_complainant(world):
    from core.models import Event

    for event in Event.objects.all():
        _never(str(event.changes) + event.note + event.target_repr, (COMPLAINANT, ID_NUMBER, PHONE),
               event.verb)
    for n in Notification.objects.all():
        _never(n.subject + n.body, (COMPLAINANT, ID_NUMBER, PHONE), n.subject)
