"""The referral in the browser (M10.3): the officer writes the leads and attaches the
penalty decision, the head signs, confirms the seal and sends the numbered letter, the
commission acknowledges receipt."""
from __future__ import annotations

import pytest

from cases.models import CaseStatus
from cases.services import case_transition
from core.models import Organization, OrgKind, Role
from core.testing import member
from discipline.models import DisciplineReferral, ReferralStatus
from evidence.tests.factories import PNG, CaseFactory, PartyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_is_written_signed_sent_and_acknowledged(page, browser_login):
    commission = Organization.objects.create(name="北戴河区纪委监委", short_name="北纪",
                                             kind=OrgKind.DISCIPLINE)
    case = CaseFactory(status=CaseStatus.EXECUTING, decision_summary="罚款五千元")
    case.decision_date = case.filed_on
    case.save()
    PartyFactory(case=case, name="钱七", is_state_functionary=True)
    member(Role.OFFICER, case.department, username="zf")
    head = member(Role.DEPARTMENT_HEAD, case.department, username="fzr", real_name="刘局长")
    member(Role.DISCIPLINE, commission, username="jw")
    case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    referral = DisciplineReferral.objects.get(case=case)

    browser_login("zf")
    page.goto(f"/discipline/{referral.pk}/")
    page.select_option("#id_commission", label="北戴河区纪委监委")
    page.fill("#id_leads", "钱七系区住建局科员，经营门店销售过期食品。")
    page.get_by_role("button", name="保存线索").click()
    page.get_by_text("违纪线索已保存").wait_for()
    page.set_input_files("#id_file", files=[{"name": "处罚决定书.png", "mimeType": "image/png",
                                             "buffer": PNG}])
    page.get_by_role("button", name="上传").click()
    page.get_by_role("link", name="处罚决定书.png").wait_for()
    page.get_by_role("button", name="提交负责人签字").click()
    assert page.locator("#referral-status").inner_text() == "待负责人签字"

    page.context.clear_cookies()
    browser_login("fzr")
    page.goto(f"/discipline/{referral.pk}/")
    page.get_by_role("button", name="负责人签字").click()
    assert page.locator("#referral-status").inner_text() == "已签字"
    assert page.get_by_role("button", name="签发移送函并送达").is_disabled()
    page.get_by_role("button", name="确认已加盖公章").click()
    page.get_by_role("button", name="签发移送函并送达").click()
    assert page.locator("#referral-status").inner_text() == "已移送"
    referral.refresh_from_db()
    assert page.get_by_role("link", name=referral.letter_number).is_visible()

    page.context.clear_cookies()
    browser_login("jw")
    page.goto("/discipline/")
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("button", name="签收").click()
    assert page.locator("#referral-status").inner_text() == "已签收"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED


def test_m10_4_the_bureau_follows_an_accountability_lead_to_the_referral(page, browser_login):
    """M10.4: an overdue referral is on the justice bureau's 问责线索 page; its link opens
    the referral with its overdue deadline."""
    import datetime as dt

    from core.testing import supervisor
    from deadlines.models import Deadline
    from deadlines.sweep import sweep

    case = CaseFactory(status=CaseStatus.EXECUTING, decision_summary="罚款五千元")
    case.decision_date = case.filed_on
    case.save()
    PartyFactory(case=case, name="孙八", is_party_member=True)
    head = member(Role.DEPARTMENT_HEAD, case.department)
    case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    referral = DisciplineReferral.objects.get(case=case)
    deadline = Deadline.objects.get(target_id=str(referral.pk), rule="discipline_referral")
    sweep(now=deadline.due + dt.timedelta(minutes=1))
    bureau = supervisor()

    browser_login(bureau.username)
    page.goto("/discipline/accountability/")
    assert "逾期未移送" in page.inner_text("#list-table")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**{referral.get_absolute_url()}")
    assert page.locator("#referral-status").inner_text() == "待撰写线索"
    assert "已逾期" in page.inner_text("#deadline-box")
