"""Issue 7: every transfer figure on the supervision dashboard links to the transfer list
narrowed to exactly the rows it counts — by sender, receiver, 办理情况 (state), kind, status
and the local dates of creation — with the filters shown as controls, and no filter ever
widens what the viewer may see."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases.models import ActType, CaseStatus, EnforcementCase, EnforcementField
from core.models import OrgKind, Role
from core.testing import OrganizationFactory, member, supervisor
from transfers.models import Transfer, TransferKind, TransferStatus

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SH)
ROW_LINK = re.compile(r'href="/transfers/(\d+)/"')


class District:
    """Transfers of March 2026 (the dashboard's default period at NOW), with one on each
    side of both ends of the month, a draft only its sender sees and a copy for record."""

    def __init__(self) -> None:
        self.a = OrganizationFactory(name="甲局", short_name="甲")
        self.b = OrganizationFactory(name="乙局", short_name="乙")
        self.c = OrganizationFactory(name="丙镇", short_name="丙", kind=OrgKind.TOWNSHIP)
        self.police = OrganizationFactory(name="测试公安分局", short_name="测公", kind=OrgKind.POLICE)
        self.boss = supervisor()
        self.officer_a = member(Role.OFFICER, self.a)
        self.officer_b = member(Role.OFFICER, self.b)
        S = TransferStatus
        self.t = {
            "a_b_sent": self.make(self.a, self.b, S.SENT),
            "a_b_returned": self.make(self.a, self.b, S.RETURNED),
            "a_b_approval": self.make(self.a, self.b, S.PENDING_APPROVAL),
            "a_police_not_filed": self.make(self.a, self.police, S.NOT_FILED, TransferKind.CRIMINAL),
            "a_police_reconsider": self.make(self.a, self.police, S.RECONSIDERATION,
                                             TransferKind.CRIMINAL),
            "c_a_accepted": self.make(self.c, self.a, S.ACCEPTED, TransferKind.TOWNSHIP),
            "c_a_sent": self.make(self.c, self.a, S.SENT, TransferKind.TOWNSHIP),
            "b_c_draft": self.make(self.b, self.c, S.DRAFT, TransferKind.TOWNSHIP),
            "b_c_copied_to_a": self.make(self.b, self.c, S.SENT, TransferKind.TOWNSHIP),
            # Local-day edges of March: in on the 1st at 00:00 and the 31st at 23:59,
            # out on 28 February at 23:59 and 1 April at 00:00.
            "first_instant": self.make(self.a, self.b, S.SENT, at=dt.datetime(2026, 3, 1, 0, 0)),
            "last_minute": self.make(self.b, self.a, S.RETURNED,
                                     at=dt.datetime(2026, 3, 31, 23, 59)),
            "february": self.make(self.a, self.b, S.SENT, at=dt.datetime(2026, 2, 28, 23, 59)),
            "april": self.make(self.b, self.a, S.SENT, at=dt.datetime(2026, 4, 1, 0, 0)),
        }
        self.t["b_c_copied_to_a"].copied_to.add(self.a)

    def make(self, sender, receiver, status, kind=TransferKind.COMPETENT, at=None) -> Transfer:
        case = None
        if kind != TransferKind.TOWNSHIP:
            case = EnforcementCase.objects.create(
                department=sender, number=f"测罚〔2026〕{Transfer.objects.count() + 1}号",
                act_type=ActType.PENALTY, field=EnforcementField.MARKET, summary="测试案情",
                discovered_at=NOW, filed_on=NOW.date(), status=CaseStatus.INVESTIGATING,
                created_by=self.boss)
        t = Transfer.objects.create(
            kind=kind, sender=sender, receiver=receiver, case=case, subject="测试移送",
            reason="超出管辖范围", status=status, created_by=self.boss,
            discovered_at=NOW if kind == TransferKind.TOWNSHIP else None,
            basic_facts="基本事实" if kind == TransferKind.TOWNSHIP else "")
        if at is not None:
            Transfer.objects.filter(pk=t.pk).update(created_at=at.replace(tzinfo=SH))
        return t


@pytest.fixture
def district():
    """Time stays frozen at NOW for the whole test (the dashboard's period is this month)."""
    with time_machine.travel(NOW, tick=False):
        yield District()


def _panel(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboard:index"), params)
    assert response.status_code == 200
    return next(p for p in response.context["panels"] if p.key == "transfers")


def _figures(panel):
    """Every linked figure of the panel: headline cards, table cells and chart tables."""
    figures = [m.figure for m in panel.metrics]
    for table in [*panel.tables, *(c.table for c in panel.charts)]:
        figures += [cell for row in table.rows for cell in row.cells]
    return [f for f in figures if f.url]


def _listed(client, url) -> tuple[int, set[int]]:
    """The list's total and the transfer ids shown on its (first) page."""
    response = client.get(url)
    assert response.status_code == 200
    shown = {int(pk) for pk in ROW_LINK.findall(response.content.decode())}
    return response.context["page"].paginator.count, shown


def _params(url) -> set[str]:
    return {part.split("=")[0] for part in url.split("?", 1)[1].split("&")}


def test_every_transfer_figure_of_the_bureau_links_to_exactly_its_rows(client, district):
    """The justice bureau: each linked number equals the rows of its list, and the list
    shows those rows (all on one page here)."""
    figures = _figures(_panel(client, district.boss))
    checked = set()
    for figure in figures:
        total, shown = _listed(client, figure.url)
        assert total == figure.value, figure.url
        assert len(shown) == figure.value, figure.url
        checked |= _params(figure.url)
    # The organisation, bucket, kind and status links were all among them.
    assert {"sender", "receiver", "state", "kind", "status", "since", "until"} <= checked


def test_per_unit_figures_hand_counted(client, district):
    """甲局 in March: sent 6 (2 returned or not filed: a_b_returned, a_police_not_filed),
    received 3 (1 waiting: c_a_sent — last_minute is returned, c_a_accepted done)."""
    panel = _panel(client, district.boss)
    table = next(t for t in panel.tables if t.key == "transfers-organizations")
    row = next(r for r in table.rows if r.label == "甲局")
    assert [c.value for c in row.cells] == [6, 2, 3, 1]
    sent, returned, received, waiting = (_listed(client, c.url)[1] for c in row.cells)
    t = district.t
    assert returned == {t["a_b_returned"].pk, t["a_police_not_filed"].pk}
    assert waiting == {t["c_a_sent"].pk}
    assert received == {t["c_a_sent"].pk, t["c_a_accepted"].pk, t["last_minute"].pk}
    assert t["first_instant"].pk in sent and t["february"].pk not in sent
    assert t["april"].pk not in received


def test_department_figures_link_to_exactly_its_rows(client, district):
    """A department's dashboard (its own unit only): every per-unit number equals its list;
    the list narrowed to the unit (涉及单位 = sender or receiver) equals its total."""
    panel = _panel(client, district.officer_a)
    table = next(t for t in panel.tables if t.key == "transfers-organizations")
    [row] = table.rows
    for figure in row.cells:
        total, shown = _listed(client, figure.url)
        assert total == len(shown) == figure.value, figure.url
    headline = next(m.figure for m in panel.metrics if m.label == "移送总数")
    total, _shown = _listed(client, f"{headline.url}&organization={district.a.pk}")
    assert total == headline.value == 9


def test_filters_never_widen_what_the_viewer_sees(client, district):
    """乙局's draft to 丙镇 stays hidden from 甲局 whatever the parameters; the copy for
    record it may see is listed under 涉及单位 only when it is sender or receiver."""
    t = district.t
    client.force_login(district.officer_a)
    _total, shown = _listed(client, f"/transfers/?sender={district.b.pk}")
    assert t["b_c_draft"].pk not in shown
    # 乙局's transfers 甲局 may see: the copy for record, and those sent to 甲局.
    assert shown == {t["b_c_copied_to_a"].pk, t["last_minute"].pk, t["april"].pk}
    _total, shown = _listed(client, f"/transfers/?receiver={district.c.pk}")
    assert shown == {t["b_c_copied_to_a"].pk}
    _total, shown = _listed(client, f"/transfers/?organization={district.a.pk}")
    assert t["b_c_copied_to_a"].pk not in shown and t["b_c_draft"].pk not in shown
    client.force_login(district.officer_b)
    _total, shown = _listed(client, f"/transfers/?sender={district.a.pk}&state=pending")
    # Not a_b_approval: awaiting the head's approval, it has not reached 乙局.
    assert shown == {t["a_b_sent"].pk, t["first_instant"].pk, t["february"].pk}


def test_since_until_are_local_days_both_included(client, district):
    t = district.t
    client.force_login(district.boss)
    _total, shown = _listed(client, "/transfers/?since=2026-03-01&until=2026-03-31")
    assert t["first_instant"].pk in shown and t["last_minute"].pk in shown
    assert t["february"].pk not in shown and t["april"].pk not in shown
    _total, shown = _listed(client, "/transfers/?since=2026-04-01&until=2026-04-01")
    assert shown == {t["april"].pk}


def test_filters_are_shown_as_controls(client, district):
    """The user sees why the list is narrowed: the chosen units and bucket are selected
    in the filter form, under Chinese labels."""
    client.force_login(district.boss)
    page = client.get(f"/transfers/?sender={district.a.pk}&receiver={district.b.pk}"
                      "&state=returned").content.decode()
    for label in ("移送单位", "接收单位", "涉及单位", "办理情况", "创建日期自", "创建日期至"):
        assert f">{label}</label>" in page
    assert re.search(rf'<option value="{district.a.pk}" selected>甲局</option>', page)
    assert re.search(rf'<option value="{district.b.pk}" selected>乙局</option>', page)
    assert '<option value="returned" selected>退回或不予立案</option>' in page
    assert len(ROW_LINK.findall(page)) == 1  # a_b_returned


def test_an_unreadable_filter_shows_its_error_and_no_rows(client, district):
    client.force_login(district.boss)
    response = client.get("/transfers/?sender=999999")
    page = response.content.decode()
    assert "筛选条件有误" in page and response.context["page"].paginator.count == 0
    response = client.get("/transfers/?since=2026-03-31&until=2026-03-01")
    assert "创建日期的起始日期不能晚于截止日期。" in response.content.decode()
    assert response.context["page"].paginator.count == 0
