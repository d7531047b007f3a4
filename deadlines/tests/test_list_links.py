"""Issue 7: every deadline figure on the supervision dashboard links to the deadline list
narrowed to exactly the rows it counts — including the "需关注" figures 督办无人签收
(``escalation=unacknowledged``) and 暂定期限 (``provisional=1``), shown as filter
controls. The deadlines are opened, swept and read through the real services."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from core.models import Role
from core.testing import OrganizationFactory, member, supervisor
from deadlines import calendar, notifications, selectors, services, sweep
from deadlines.models import Deadline, Notification

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SH)
ROW_LINK = re.compile(r'href="/deadlines/(\d+)/"')


class District:
    """Two departments on 2026-03-10 (2027's holiday schedule not loaded):
    - 甲局: d1 overdue and escalated, unread by the bureau; d2 overdue and escalated, read
      by the bureau's supervisor; d4 open and provisional (due January 2027); d7 was
      provisional and is met; d8 open, due next week.
    - 乙局: d3 overdue and escalated, read only by 乙局's own officer; d5 open and
      provisional; d6 open, due within one working day (24:00 today).
    So 督办无人签收 = {d1, d3} and 暂定期限 = {d4, d5}."""

    def __init__(self) -> None:
        self.a = OrganizationFactory(name="甲局", short_name="甲")
        self.b = OrganizationFactory(name="乙局", short_name="乙")
        self.boss = supervisor()
        self.officer_a = member(Role.OFFICER, self.a)
        self.officer_b = member(Role.OFFICER, self.b)
        past = dt.datetime(2026, 3, 2, 9, tzinfo=SH)  # township_transfer: due 03-05 24:00
        december = dt.datetime(2026, 12, 24, 9, tzinfo=SH)  # discipline_referral: due 2027
        self.d1 = self.open(self.a, "township_transfer", past)
        self.d2 = self.open(self.a, "township_transfer", past)
        self.d3 = self.open(self.b, "township_transfer", past)
        self.d4 = self.open(self.a, "discipline_referral", december)
        self.d5 = self.open(self.b, "discipline_referral", december)
        self.d6 = self.open(self.b, "township_transfer", dt.datetime(2026, 3, 5, 9, tzinfo=SH))
        self.d7 = self.open(self.a, "discipline_referral", december)
        self.d8 = self.open(self.a, "discipline_referral", NOW)
        sweep.sweep(now=NOW)
        services.deadline_meet(target=self.d7.target, rule="discipline_referral",
                               actor=self.officer_a)
        self.read(self.boss, self.d2, "逾期督办")
        self.read(self.officer_b, self.d3, "期限已届满")

    def open(self, org, rule: str, start: dt.datetime) -> Deadline:
        # Each deadline runs on a target of its own, so meeting one meets only that one.
        target = OrganizationFactory()
        return services.deadline_open(target=target, rule=rule, responsible=org, start=start,
                                      actor=self.boss)

    def read(self, user, deadline: Deadline, subject: str) -> None:
        [n] = Notification.objects.filter(recipient=user, target_id=str(deadline.pk),
                                          subject__startswith=subject)
        notifications.notification_read(notification=n, actor=user)


@pytest.fixture
def district(django_capture_on_commit_callbacks):
    """Time stays frozen at NOW for the whole test; what the services do after commit
    (e-mails, the dashboard's recounts) runs as it would in production."""
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            d = District()
        yield d


def _dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboard:index"), params)
    assert response.status_code == 200
    return response


def _listed(client, url) -> tuple[int, set[int]]:
    """The list's total and the deadline ids shown on its (first) page."""
    response = client.get(url)
    assert response.status_code == 200
    shown = {int(pk) for pk in ROW_LINK.findall(response.content.decode())}
    return response.context["page"].paginator.count, shown


def test_fixture_states(district):
    d = district
    d.d1.refresh_from_db()
    d.d6.refresh_from_db()
    assert (d.d1.state, d.d1.escalation_level) == ("overdue", 1)
    assert d.d4.provisional and d.d6.state == "open" and d.d6.warn_at <= NOW < d.d6.due
    assert set(selectors.unacknowledged_escalations(Deadline.objects.all())
               .values_list("pk", flat=True)) == {d.d1.pk, d.d3.pk}


def test_every_deadline_count_of_the_bureau_links_to_exactly_its_rows(client, district):
    """Open, due within one working day and overdue, per unit, per rule and in total: each
    number equals the rows of its list (on-time rates are ratios, not row counts)."""
    panel = next(p for p in _dashboard(client, district.boss).context["panels"]
                 if p.key == "deadlines")
    figures = [m.figure for m in panel.metrics]
    for table in panel.tables:
        figures += [cell for row in table.rows for cell in row.cells]
    figures = [f for f in figures if f.url and not f.percent]
    assert len(figures) > 20
    for figure in figures:
        total, shown = _listed(client, figure.url)
        assert total == len(shown) == figure.value, figure.url


def test_unacknowledged_escalations_figure_equals_its_list(client, district):
    """督办无人签收: escalated overdue deadlines no justice-bureau user has read — 乙局's
    own officer reading its notice does not count."""
    blocks = {b.title: b for b in _dashboard(client, district.boss).context["attention"]}
    figure = blocks["督办无人签收"].total
    total, shown = _listed(client, "/deadlines/?escalation=unacknowledged")
    assert figure.value == total == 2
    assert shown == {district.d1.pk, district.d3.pk}
    # One organisation picked on the dashboard: the list narrowed to it as well.
    blocks = {b.title: b for b in
              _dashboard(client, district.boss, org=district.b.pk).context["attention"]}
    total, shown = _listed(client, f"/deadlines/?escalation=unacknowledged"
                                   f"&organization={district.b.pk}")
    assert blocks["督办无人签收"].total.value == total == 1 and shown == {district.d3.pk}


def test_provisional_figure_equals_its_list(client, district):
    """暂定期限: open deadlines computed without next year's schedule; a met one is not
    counted."""
    blocks = {b.title: b for b in _dashboard(client, district.boss).context["attention"]}
    figure = blocks["暂定期限"].total
    total, shown = _listed(client, "/deadlines/?provisional=1")
    assert figure.value == total == 2
    assert shown == {district.d4.pk, district.d5.pk}


def test_a_department_sees_only_its_own_attention_rows(client, district):
    blocks = {b.title: b for b in _dashboard(client, district.officer_a).context["attention"]}
    total, shown = _listed(client, f"/deadlines/?escalation=unacknowledged"
                                   f"&organization={district.a.pk}")
    assert blocks["督办无人签收"].total.value == total == 1 and shown == {district.d1.pk}
    total, shown = _listed(client, f"/deadlines/?provisional=1&organization={district.a.pk}")
    assert blocks["暂定期限"].total.value == total == 1 and shown == {district.d4.pk}
    # Whatever the parameters, 乙局's rows stay out of 甲局's list.
    total, shown = _listed(client, f"/deadlines/?provisional=1&organization={district.b.pk}")
    assert total == 0 and not shown


def test_filters_are_shown_as_controls(client, district):
    client.force_login(district.boss)
    page = client.get("/deadlines/?escalation=unacknowledged&provisional=1").content.decode()
    assert ">督办</label>" in page and ">暂定期限</label>" in page
    assert '<option value="unacknowledged" selected>督办无人签收</option>' in page
    assert '<option value="1" selected>仅未完成的暂定期限</option>' in page
    assert 'data-total="0"' in page  # no row is both overdue and open


def test_an_unreadable_filter_shows_its_error_and_no_rows(client, district):
    client.force_login(district.boss)
    response = client.get("/deadlines/?escalation=everything")
    assert "筛选条件有误" in response.content.decode()
    assert response.context["page"].paginator.count == 0
