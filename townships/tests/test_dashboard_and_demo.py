"""The township cooperation panel (townships/dashboard.py) and the demo district's township
records (townships/demo.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import demo
from core.models import Organization, Role
from core.testing import justice_bureau, member
from dashboard.forms import year_period
from dashboard.selectors import dashboard_scope
from deadlines.models import Notification
from townships import services
from townships.dashboard import townships_panel
from townships.models import Consultation, ConsultationKind, Dissuasion, InfoNotice
from transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db


def _bureau_supervisor():
    return member(Role.SUPERVISOR, justice_bureau())


def test_panel_in_two_statements_counts_what_its_links_list(client, world):
    # A second dissuasion, followed by the transfer; a second consultation, concluded.
    Dissuasion.objects.filter(pk=world.dissuasion.pk).update(transfer=None)
    services.dissuasion_record(
        actor=world.town_officer, township=world.township, competent=world.department,
        location="海滨路 30 号", violation="占道经营", measures="劝阻", transfer=world.transfer,
        dissuaded_at=timezone.now() - dt.timedelta(hours=1))
    joint = services.consultation_create(
        actor=world.town_head, kind="consultation", topic="common", initiator=world.township,
        participants=[world.department], subject="共性问题", content="占道经营反复",
        meeting_at=timezone.now())
    services.consultation_conclude(actor=world.town_head, consultation=joint, conclusion="联合巡查。")
    supervisor = _bureau_supervisor()
    scope = dashboard_scope(supervisor, period=year_period(timezone.localdate().year))
    with CaptureQueriesContext(connection) as queries:
        panel = townships_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["现场劝阻"].value == 2 and figures["劝阻后未移送"].value == 1
    assert figures["会商与联合处置"].value == 2 and figures["尚未形成意见"].value == 1
    client.force_login(supervisor)
    for figure in figures.values():
        assert client.get(figure.url).context["page"].paginator.count == figure.value
    (row,) = panel.tables[0].rows
    assert row.label == world.township.name
    assert [c.value for c in row.cells] == [2, 1]
    assert client.get(row.cells[1].url).context["page"].paginator.count == 1
    kinds = {r.label: [c.value for c in r.cells] for r in panel.tables[1].rows}
    assert kinds == {"会商": [2, 1], "联合处置": [0, 0]}
    # The justice bureau sees the panel in a period with nothing (zeros), a unit outside
    # every record does not; the township sees its own.
    empty = townships_panel(dashboard_scope(supervisor, period=year_period(timezone.localdate().year - 3)))
    assert {m.label: m.figure.value for m in empty.metrics}["现场劝阻"] == 0
    assert townships_panel(dashboard_scope(world.stranger, period=scope.period)) is None
    own = townships_panel(dashboard_scope(world.town_head, period=scope.period))
    assert {m.label: m.figure.value for m in own.metrics}["现场劝阻"] == 2


def test_dissuasion_and_consultation_lists_filter_by_party_transfer_and_state(client, world):
    client.force_login(world.town_head)
    listed = lambda url, **q: client.get(url, q).context["page"].paginator.count  # noqa: E731
    assert listed("/townships/dissuasions/", organization=world.department.pk) == 1
    assert listed("/townships/dissuasions/", township=world.department.pk) == 0
    assert listed("/townships/dissuasions/", transferred="no") == 1
    assert listed("/townships/dissuasions/", transferred="yes") == 0
    assert listed("/townships/consultations/", state="open") == 1
    assert listed("/townships/consultations/", state="concluded") == 0
    assert listed("/townships/consultations/", organization=world.stranger.memberships.get().organization_id) == 0


def test_demo_has_dissuasions_with_and_without_transfer_consultations_open_and_concluded():
    demo.seed()
    demo.seed()  # idempotent
    dissuasions = list(Dissuasion.objects.order_by("dissuaded_at"))
    assert len(dissuasions) == 6
    followed = [d for d in dissuasions if d.transfer_id]
    assert len(followed) == 2
    assert all(Transfer.objects.get(pk=d.transfer_id).status != TransferStatus.DRAFT for d in followed)
    # Made at the moment they happened, spread over the year; the competent unit was told.
    assert (dissuasions[-1].dissuaded_at - dissuasions[0].dissuaded_at).days > 250
    assert all(abs((d.notified_at - d.dissuaded_at).total_seconds()) < 3 * 3600 for d in dissuasions)
    assert Notification.objects.filter(target_id__in=[str(d.pk) for d in dissuasions]).exists()
    consultations = Consultation.objects.all()
    assert {(c.kind, bool(c.concluded_at)) for c in consultations} == {
        (ConsultationKind.CONSULTATION, True), (ConsultationKind.CONSULTATION, False),
        (ConsultationKind.JOINT_HANDLING, True), (ConsultationKind.JOINT_HANDLING, False)}
    assert InfoNotice.objects.count() == 3
    township = Organization.objects.get(name="北戴河区海滨镇人民政府")
    assert {n.sender_id == township.pk for n in InfoNotice.objects.all()} == {True, False}
