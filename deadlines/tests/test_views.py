"""Pages and API of the deadlines app: 我的时限, the inbox, the iCalendar feed, the
missing-calendar warning, visibility (issue 3 items 1, 7, 8)."""
import datetime as dt
import re

import pytest
import time_machine

from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member
from deadlines import calendar, ical, notifications, services, sweep
from deadlines.models import Notification

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI
START = dt.datetime(2026, 3, 2, 9, tzinfo=SH)


@pytest.fixture
def deadlines_of_two_units(target, department, officer):
    mine = services.deadline_open(target=target, rule="township_transfer",
                                  responsible=department, start=START, actor=officer)
    other_org = OrganizationFactory(name="北戴河区城市管理综合行政执法局", short_name="北城管")
    theirs = services.deadline_open(target=other_org, rule="publicity_other",
                                    responsible=other_org, start=START, actor=officer)
    return mine, theirs


def test_list_shows_only_the_units_own_deadlines_and_filters(client, officer, jdy,
                                                             deadlines_of_two_units):
    mine, theirs = deadlines_of_two_units
    client.force_login(officer)
    page = client.get("/deadlines/").content.decode()
    assert f"/deadlines/{mine.pk}/" in page and f"/deadlines/{theirs.pk}/" not in page
    assert client.get(f"/deadlines/{theirs.pk}/").status_code == 404
    assert "2026年3月5日24时" in client.get(f"/deadlines/{mine.pk}/").content.decode()
    client.force_login(jdy)  # the justice bureau sees all
    page = client.get("/deadlines/?rule=publicity_other").content.decode()
    assert f"/deadlines/{theirs.pk}/" in page and f"/deadlines/{mine.pk}/" not in page
    page = client.get("/deadlines/?due_from=2026-03-05&due_to=2026-03-05").content.decode()
    assert f"/deadlines/{mine.pk}/" in page and f"/deadlines/{theirs.pk}/" not in page
    page = client.get("/deadlines/?due_from=2026-03-09&due_to=2026-03-01").content.decode()
    assert "届满日期的起始日期不能晚于截止日期。" in page


def test_list_buckets_overdue_and_state(client, officer, deadlines_of_two_units):
    mine, _theirs = deadlines_of_two_units
    sweep.sweep(now=dt.datetime(2026, 3, 6, 0, 1, tzinfo=SH))
    client.force_login(officer)
    assert f"/deadlines/{mine.pk}/" in client.get("/deadlines/?bucket=overdue").content.decode()
    assert f"/deadlines/{mine.pk}/" not in client.get("/deadlines/?state=met").content.decode()


def test_list_paginates(client, officer, target, department):
    for _ in range(55):
        services.deadline_open(target=target, rule="township_transfer", responsible=department,
                               start=START, actor=officer)
    client.force_login(officer)
    assert "第 1 / 2 页，共 55 条" in client.get("/deadlines/").content.decode()


def test_inbox_badge_mark_read_and_link_to_the_object(client, officer, jdy, target, department):
    [n] = notifications.notification_send(recipients=[officer], subject="请补正移送材料",
                                     url="/deadlines/", actor=jdy)
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert 'id="inbox-unread">1<' in home
    inbox = client.get("/deadlines/inbox/").content.decode()
    assert "请补正移送材料" in inbox and "未读" in inbox
    response = client.post(f"/deadlines/inbox/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/deadlines/"
    assert 'id="inbox-unread"' not in client.get("/").content.decode()
    n2 = notifications.notification_send(recipients=[officer], subject="第二条", actor=jdy)[0]
    client.post(f"/deadlines/inbox/{n2.pk}/read/")
    assert Notification.objects.get(pk=n2.pk).read_at is not None
    client.force_login(jdy)
    assert client.post(f"/deadlines/inbox/{n.pk}/open/").status_code == 404  # not theirs


def test_inbox_never_redirects_off_site(client, officer, jdy):
    [n] = notifications.notification_send(recipients=[officer], subject="外链",
                                     url="https://evil.example/", actor=jdy)
    client.force_login(officer)
    assert client.post(f"/deadlines/inbox/{n.pk}/open/")["Location"] == "/deadlines/inbox/"


def test_opening_a_notification_changes_nothing_on_a_get(client, officer, jdy):
    """Issue 16 item 9: reading marks the notification read and acknowledges an
    escalation — a link on another site (a GET) must not."""
    [n] = notifications.notification_send(recipients=[officer], subject="督办", url="/deadlines/",
                                     actor=jdy)
    client.force_login(officer)
    assert client.get(f"/deadlines/inbox/{n.pk}/open/").status_code == 405
    assert Notification.objects.get(pk=n.pk).read_at is None
    inbox = client.get("/deadlines/inbox/").content.decode()
    assert f'<form class="d-inline" method="post" action="/deadlines/inbox/{n.pk}/open/">' in inbox


def test_ical_feed_at_a_secret_url(client, officer, deadlines_of_two_units):
    mine, theirs = deadlines_of_two_units
    body = client.get(f"/deadlines/feed/{ical.feed_token(officer)}.ics").content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and f"UID:deadline-{mine.pk}@" in body
    assert f"UID:deadline-{theirs.pk}@" not in body
    assert "DTSTART;VALUE=DATE:20260305" in body
    assert client.get("/deadlines/feed/forged-token.ics").status_code == 404


def test_resetting_the_feed_address_ends_every_earlier_one(client, officer, deadlines_of_two_units):
    """A forwarded address or a lost phone: 重置订阅地址 makes a new address; the earlier
    ones (including those from before addresses had versions) stop working at once."""
    from django.core import signing

    from core.testing import assert_audited

    def shown(page: str) -> str:
        """The address the page offers (a signed token carries its second of signing, so
        two renderings differ while both are valid)."""
        return re.search(r'href="http://testserver(/deadlines/feed/[^"]+\.ics)"', page).group(1)

    unversioned = f"/deadlines/feed/{signing.dumps(officer.pk, salt=ical.SALT, compress=True)}.ics"
    client.force_login(officer)
    page = client.get("/deadlines/").content.decode()
    first = shown(page)
    assert 'id="feed-reset"' in page
    assert client.get(first).status_code == 200 and client.get(unversioned).status_code == 200
    assert client.get("/deadlines/feed/reset/").status_code == 405  # a change: POST only
    with assert_audited("calendar_feed.reset"):
        response = client.post("/deadlines/feed/reset/", follow=True)
    assert "原地址即日起失效" in response.content.decode()
    second = shown(response.content.decode())
    assert second != first
    client.logout()
    assert client.get(first).status_code == 404 and client.get(unversioned).status_code == 404
    assert client.get(second).status_code == 200
    # Another user's version does not carry over: a token names its own user's version.
    other = member(Role.OFFICER, officer.memberships.first().organization)
    forged = signing.dumps([other.pk, 1], salt=ical.SALT, compress=True)
    assert client.get(f"/deadlines/feed/{forged}.ics").status_code == 404
    with assert_audited("calendar_feed.reset"):
        services.calendar_feed_reset(actor=officer)
    assert client.get(second).status_code == 404


@pytest.mark.parametrize("day,shown", [(dt.date(2026, 10, 31), False), (dt.date(2026, 11, 1), True)])
def test_missing_next_year_warning_from_1_november(client, jdy, officer, day, shown):
    """Issue 3 item 1: from 1 November the justice bureau and administrators see a warning
    while next year's schedule is missing; others do not."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=SH)):
        client.force_login(jdy)
        assert ('id="calendar-missing"' in client.get("/").content.decode()) is shown
        client.force_login(officer)
        assert 'id="calendar-missing"' not in client.get("/").content.decode()


def test_api_lists_visible_deadlines_and_marks_notifications_read(client, officer, jdy,
                                                                   deadlines_of_two_units):
    mine, theirs = deadlines_of_two_units
    [n] = notifications.notification_send(recipients=[officer], subject="接口消息", actor=jdy)
    client.force_login(officer)
    data = client.get("/api/v1/deadlines/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert data["results"][0]["rule_label"] == "乡镇与区直部门案件移送"
    assert client.get(f"/api/v1/deadlines/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/notifications/?read_at__isnull=true").json()["count"] == 1
    assert client.post(f"/api/v1/notifications/{n.pk}/read/").json()["read_at"]
    assert client.get("/api/v1/notifications/?read_at__isnull=true").json()["count"] == 0


def test_deadline_follows_the_visibility_of_its_target(client, department, officer):
    """A deadline is visible to its responsible unit and to whoever sees the object it
    runs on (a township's transfer deadline on a department's case), to nobody else."""
    from cases.models import ActType, EnforcementCase, EnforcementField

    case = EnforcementCase.objects.create(
        department=department, number="北市监罚〔2026〕1号", act_type=ActType.PENALTY,
        field=EnforcementField.values[0], summary="无照经营", discovered_at=START,
        filed_on=START.date(), created_by=officer)
    township = OrganizationFactory(kind="township")
    d = services.deadline_open(target=case, rule="transfer_acceptance", responsible=township,
                               start=START, actor=officer)
    township_officer = member(Role.OFFICER, township)
    outsider = member(Role.OFFICER, OrganizationFactory())
    for user, seen in ((officer, True), (township_officer, True), (outsider, False)):
        client.force_login(user)
        ids = [row["id"] for row in client.get("/api/v1/deadlines/").json()["results"]]
        assert (d.pk in ids) is seen, user


def test_deadline_page_links_to_the_record_behind_it_and_says_who_acts_next(client, officer,
                                                                          department, target):
    """Issue 14 part 3: a supervisor following an overdue figure reaches the record the
    time limit is kept on, not only a page whose one action is 豁免期限."""
    behind = services.deadline_open(target=target, rule="publicity_other", responsible=department,
                                    start=START, actor=officer)
    on_it = services.deadline_open(target=behind, rule="township_transfer", responsible=department,
                                   start=START, actor=officer)
    client.force_login(officer)
    page = client.get(f"/deadlines/{on_it.pk}/").content.decode()
    assert f'id="deadline-target"><a href="/deadlines/{behind.pk}/">' in page
    assert "待本单位在2026年3月5日24时前办结" in page
    other = OrganizationFactory(name="北戴河区城市管理综合行政执法局", short_name="北城管")
    client.force_login(member(Role.SUPERVISOR, justice_bureau()))
    theirs = services.deadline_open(target=other, rule="township_transfer", responsible=other,
                                    start=START, actor=officer)
    assert "待北戴河区城市管理综合行政执法局在2026年3月5日24时前办结" in client.get(
        f"/deadlines/{theirs.pk}/").content.decode()
    assert 'id="deadline-target"><a' not in client.get(f"/deadlines/{theirs.pk}/").content.decode()


def test_inbox_filters_reads_one_and_all_and_never_anothers(client, officer, jdy):
    first, second = (notifications.notification_send(recipients=[officer], subject=s, actor=jdy)[0]
                     for s in ("请补正移送材料", "整改期限将至"))
    client.force_login(officer)
    page = client.get("/deadlines/inbox/", {"q": "整改"}).content.decode()
    assert "整改期限将至" in page and "请补正移送材料" not in page
    client.force_login(jdy)  # not theirs: refused as missing, nothing read
    assert client.post(f"/deadlines/inbox/{first.pk}/read/").status_code == 404
    client.force_login(officer)
    response = client.post(f"/deadlines/inbox/{first.pk}/read/", follow=True)
    assert "已标为已读。" in response.content.decode()
    assert "请补正移送材料" not in client.get("/deadlines/inbox/", {"unread": "1"}).content.decode()
    assert client.get("/deadlines/inbox/read-all/").status_code == 405
    response = client.post("/deadlines/inbox/read-all/", follow=True)
    assert "已将 1 条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=second.pk).read_at is not None
