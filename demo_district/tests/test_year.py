"""The demo district is a living one: a year of cases, decisions published on time and
late, transfers answered on time, late and not yet (How we work: the demo district)."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from cases.models import ActType, CaseStatus, EnforcementCase
from deadlines.models import Deadline
from transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db


def test_the_demo_district_has_a_year_of_activity_in_every_state(settings):
    settings.DEMO_YEAR_SCALE = 1
    call_command("seed_demo")
    today = timezone.localdate()
    cases = EnforcementCase.objects.all()
    assert cases.count() >= 250
    # Filed in every month of the last twelve, by most departments and townships.
    months = {(d.year, d.month) for d in cases.values_list("filed_on", flat=True)}
    assert len(months) >= 12
    assert cases.values("department").distinct().count() >= 15
    assert min(cases.values_list("filed_on", flat=True)) >= today - dt.timedelta(days=366)
    # Every stage of the procedure, most cases closed on the day they were closed.
    states = dict(cases.values_list("status").annotate(n=Count("id")))
    assert {CaseStatus.INVESTIGATING, CaseStatus.EXECUTING, CaseStatus.CLOSED} <= set(states)
    assert states[CaseStatus.CLOSED] > cases.count() / 2
    closed = cases.filter(status=CaseStatus.CLOSED)
    assert closed.values("closed_on").distinct().count() > 50
    assert all(c.closed_on >= c.decision_date >= c.filed_on for c in closed)
    assert cases.filter(act_type=ActType.PENALTY, penalty_amount__gt=0).count() > 50
    # Decisions published on time, late, and not yet (the publicity deadline overdue).
    publicity = Deadline.objects.filter(rule__startswith="publicity")
    assert publicity.filter(met_at__isnull=False, met_at__lte=F("due")).count() > 100
    assert publicity.filter(met_at__gt=F("due")).exists()
    assert publicity.filter(met_at__isnull=True, due__lt=timezone.now()).exists()
    # Transfers answered on time and late; some still waiting.
    transfers = Transfer.objects.all()
    assert transfers.filter(status=TransferStatus.ACCEPTED).count() >= 10
    answered = Deadline.objects.filter(rule="transfer_acceptance", met_at__isnull=False)
    assert answered.filter(met_at__gt=F("due")).exists()
    assert answered.filter(met_at__lte=F("due")).exists()
    assert transfers.filter(status=TransferStatus.SENT).exists()
    # A second run adds nothing.
    counts = (cases.count(), transfers.count(), Deadline.objects.count())
    call_command("seed_demo")
    assert (EnforcementCase.objects.count(), Transfer.objects.count(), Deadline.objects.count()) == counts

