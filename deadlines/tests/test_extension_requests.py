"""Issue 15 item 10 (M7.5, M4.5): a deadline a supervisor imposed — the rectification
deadline of a supervision notice, an ordered transfer's — is extended only by the
organisation that imposed it, at the responsible unit's request with a reason; both sides
are told. The unit's head cannot move the date on his own (he once moved the bureau's
rectification deadline to 2999-12-30)."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, assert_audited, justice_bureau, member
from deadlines import calendar, services
from deadlines.models import Deadline, ExtensionRequest, ExtensionState, Notification

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI
NOW = dt.datetime(2026, 3, 3, 10, tzinfo=SH)
DUE = calendar.end_of_day(dt.date(2026, 3, 31))
LATER = calendar.end_of_day(dt.date(2026, 4, 15))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def imposed(target, department, jdy) -> Deadline:
    """The bureau's rectification deadline on the department (a supervision notice)."""
    return services.deadline_open(target=target, rule="rectification", responsible=department,
                                  start=NOW, due=DUE, actor=jdy, imposed_by=justice_bureau())


def _request(imposed, head, reason="需调取外省档案，整改需要更多时间") -> ExtensionRequest:
    return services.deadline_extension_request(deadline=imposed, actor=head, new_due=LATER,
                                               reason=reason)


def test_the_units_head_cannot_extend_an_imposed_deadline_himself(client, imposed, head, jdy):
    """The head held 批准延长期限 for his unit; on an imposed due it no longer applies —
    nor does the justice bureau's own extension page: only a request and its decision."""
    far = calendar.end_of_day(dt.date(2999, 12, 30))
    with pytest.raises(ValidationError, match="北戴河区司法局设定，须向其申请延长"):
        services.deadline_extend(deadline=imposed, actor=head, new_due=far, reason="自行延长")
    client.force_login(head)
    assert client.get(f"/deadlines/{imposed.pk}/extend/").status_code == 403
    client.post(f"/deadlines/{imposed.pk}/extend/", {"new_due": "2999-12-30", "reason": "自行延长"})
    page = client.get(f"/deadlines/{imposed.pk}/").content.decode()
    assert "申请延长期限</a>" in page and f'href="/deadlines/{imposed.pk}/extend/"' not in page
    client.force_login(jdy)
    assert client.get(f"/deadlines/{imposed.pk}/extend/").status_code == 403
    imposed.refresh_from_db()
    assert imposed.due == DUE


def test_request_with_a_reason_tells_the_imposing_organisation(client, imposed, head, officer, jdy):
    url = f"/deadlines/{imposed.pk}/extension-request/"
    client.force_login(officer)  # not the unit's head
    assert client.get(url).status_code == 403
    client.force_login(head)
    page = client.post(url, {"new_due": "2026-04-15", "reason": ""}).content.decode()
    assert "请填写申请延长的理由。" in page
    with assert_audited("deadline.extension_request", imposed):
        response = client.post(url, {"new_due": "2026-04-15", "reason": "需调取外省档案"},
                               follow=True)
    assert "已向北戴河区司法局提出延长申请。" in response.content.decode()
    request = ExtensionRequest.objects.get(deadline=imposed)
    assert request.state == ExtensionState.PENDING and request.new_due == LATER
    told = Notification.objects.get(recipient=jdy)
    assert "2026年3月31日24时" in told.body and "2026年4月15日24时" in told.body
    assert told.get_absolute_url() == f"/deadlines/{imposed.pk}/"
    # One request at a time.
    with pytest.raises(PermissionDenied):
        _request(imposed, head)
    imposed.refresh_from_db()
    assert imposed.due == DUE  # nothing moves before the decision


def test_the_imposing_organisation_approves_and_both_sides_are_told(client, imposed, head, jdy):
    with assert_audited("deadline.extension_request", imposed):
        request = services.deadline_extension_request(deadline=imposed, actor=head, new_due=LATER,
                                                      reason="需调取外省档案")
    client.force_login(jdy)
    page = client.get(f"/deadlines/{imposed.pk}/").content.decode()
    assert 'id="extension-decide"' in page and "待北戴河区司法局决定延长申请" in page
    with assert_audited("deadline.extend", imposed):
        response = client.post(f"/deadlines/extension-requests/{request.pk}/decide/",
                               {"approve": "1", "answer": ""}, follow=True)
    assert "已同意延长。" in response.content.decode()
    imposed.refresh_from_db()
    assert imposed.due == LATER
    request.refresh_from_db()
    assert request.state == ExtensionState.APPROVED and request.decided_by == jdy
    decided = Notification.objects.filter(subject__startswith="延长期限申请已决定")
    assert {n.recipient for n in decided} >= {head, jdy}
    assert all("同意延长至2026年4月15日24时" in n.body for n in decided)


def test_a_refusal_needs_reasons_and_the_due_stands(client, imposed, head, jdy):
    request = _request(imposed, head)
    client.force_login(jdy)
    url = f"/deadlines/extension-requests/{request.pk}/decide/"
    response = client.post(url, {"approve": "0", "answer": ""}, follow=True)
    assert "不予延长须说明理由。" in response.content.decode()
    assert ExtensionRequest.objects.get(pk=request.pk).state == ExtensionState.PENDING
    with assert_audited("deadline.extension_refuse", imposed):
        response = client.post(url, {"approve": "0", "answer": "整改事项简单，不需延长"}, follow=True)
    assert "已决定不予延长。" in response.content.decode()
    imposed.refresh_from_db()
    assert imposed.due == DUE
    told = Notification.objects.get(recipient=head, subject__startswith="延长期限申请已决定")
    assert "不予延长，期限仍为2026年3月31日24时" in told.body and "整改事项简单" in told.body
    with pytest.raises(ValidationError, match="已经作出决定"):
        services.deadline_extension_decide(request=request, actor=jdy, approve=True)


def test_only_the_imposing_organisation_decides(client, target, department, head, jdy):
    """M4.5: an order to transfer issued by the procuratorate: the procuratorate decides,
    not the unit's head and not the justice bureau."""
    procuratorate = OrganizationFactory(name="北戴河区人民检察院", kind=OrgKind.PROCURATORATE)
    prosecutor = member(Role.PROSECUTOR, procuratorate)
    ordered = services.deadline_open(target=target, rule="ordered_transfer", responsible=department,
                                     start=NOW, due=DUE, actor=prosecutor, imposed_by=procuratorate)
    request = _request(ordered, head)
    for outsider in (head, jdy):
        with pytest.raises(PermissionDenied):
            services.deadline_extension_decide(request=request, actor=outsider, approve=True)
        client.force_login(outsider)
        client.post(f"/deadlines/extension-requests/{request.pk}/decide/", {"approve": "1"})
    assert Deadline.objects.get(pk=ordered.pk).due == DUE
    with assert_audited("deadline.extend", ordered):
        services.deadline_extension_decide(request=request, actor=prosecutor, approve=True)
    assert Deadline.objects.get(pk=ordered.pk).due == LATER


def test_an_imposed_due_names_who_imposed_it(target, department, jdy):
    """A notice or an order names its issuer (``target.issuer``); a target without one and
    no ``imposed_by`` is a programming error, not a deadline nobody may extend."""
    with pytest.raises(ValueError, match="organisation that imposed it"):
        services.deadline_open(target=target, rule="rectification", responsible=department,
                               start=NOW, due=DUE, actor=jdy)


def test_an_overdue_deadline_cannot_be_requested(imposed, head):
    Deadline.objects.filter(pk=imposed.pk).update(state="overdue")
    imposed.refresh_from_db()
    with pytest.raises(ValidationError, match="已逾期"):
        _request(imposed, head)
