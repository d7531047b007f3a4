"""The guiding-case services: nomination (M11.1, M11.2, M11.4), the bureau's proposal and
expert review (M11.5), decision and publication (M11.3) — each checked, audited and
moving its deadlines; the published texts never carry a party's name or ID number."""
from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.testing import make_case
from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.services import deadlines_open_recurring
from guidingcases import indicators, selectors, services
from guidingcases.models import GuidingStatus, OpinionConclusion, Origin

from .conftest import COMPANY, CREDIT, ID_NUMBER, NAME, TEXTS

pytestmark = pytest.mark.django_db
REASONS = ["reason_concern", "reason_error_prone"]


def nominate(district, case=None, **kw):
    return services.guiding_case_nominate(actor=district.legal, case=case or district.closed_case(),
                                          reasons=kw.get("reasons", REASONS), texts=kw.get("texts", TEXTS))


def approved(district):
    """A nominated case reviewed by one expert and approved by the bureau."""
    gc = nominate(district)
    opinion, = services.expert_invite(actor=district.supervisor, guiding_case=gc, experts=[district.expert],
                                      due_on=timezone.localdate() + dt.timedelta(days=5))
    services.expert_opinion_submit(actor=district.expert, opinion=opinion,
                                   conclusion=OpinionConclusion.AGREE, text="同意发布。")
    services.guiding_case_decide(actor=district.supervisor, guiding_case=gc, approve=True, note="通过")
    return gc


def published(district):
    gc = approved(district)
    services.guiding_case_publish(actor=district.gov, guiding_case=gc, in_gazette=True, in_press=False,
                                  in_compilation=True, published_on=timezone.localdate())
    return gc


def test_m11_2_department_nominates_its_closed_case_classed_by_act_type_and_meets_its_yearly_duty(district):
    deadlines_open_recurring()
    duty = Deadline.objects.get(rule="guiding_case_submission", target_id=str(district.market.pk))
    case = district.closed_case()
    with assert_audited("guidingcases.guidingcase.create"):
        gc = services.guiding_case_nominate(actor=district.legal, case=case, reasons=REASONS, texts=TEXTS)
    assert (gc.origin, gc.act_type, gc.year, gc.department) == (Origin.DEPARTMENT, case.act_type,
                                                                case.closed_on.year, district.market)
    assert gc.reasons_text == "社会普遍关注、容易发生执法偏差"  # M11.1
    duty.refresh_from_db()
    assert duty.state == DeadlineState.MET
    assert Notification.objects.filter(organization=district.bureau, subject__startswith="指导案例报送").exists()


def test_m11_2_only_closed_cases_of_the_own_department_with_a_reason(district):
    open_case = make_case(district.market)
    with pytest.raises(ValidationError, match="只能选择已结案的案件"):
        nominate(district, open_case)
    with pytest.raises(PermissionDenied):
        nominate(district, district.closed_case(district.urban))
    with pytest.raises(ValidationError, match="请至少选择一项选择理由"):
        nominate(district, reasons=[])
    case = district.closed_case()
    nominate(district, case)
    with pytest.raises(ValidationError, match="已报送为指导案例"):
        nominate(district, case)


def test_m11_3_texts_are_stored_without_the_parties_names_and_id_numbers(district):
    gc = nominate(district)
    text = " ".join([gc.title, gc.facts, gc.handling, gc.significance, gc.legal_basis])
    for secret in (NAME, ID_NUMBER, COMPANY, CREDIT, "13903351234"):
        assert secret not in text
    assert gc.title.startswith("王某") and "某有限公司" in gc.facts
    with assert_audited("guidingcases.guidingcase.update", gc):
        services.guiding_case_update(actor=district.legal, guiding_case=gc, reasons=["reason_effect"],
                                     texts={**TEXTS, "facts": f"当事人{NAME}再次违法。"})
    gc.refresh_from_db()
    assert gc.facts == "当事人王某再次违法。" and gc.reasons_text == "法律、政治、社会效果较好"


def test_m11_4_departments_below_three_cases_a_year_show_as_a_shortfall(district, settings):
    settings.GUIDING_CASES_PER_YEAR = 3
    year = timezone.localdate().year
    for _ in range(3):
        nominate(district)
    short = dict((org.name, n) for org, n in selectors.shortfall(year))
    assert "区市场监督管理局" not in short and short["区城市管理综合行政执法局"] == 0
    # The bureau's own proposals do not count as the department's submissions.
    services.guiding_case_propose(actor=district.supervisor, case=district.closed_case(district.urban),
                                  reasons=REASONS, texts=TEXTS)
    assert indicators.submitted_by_unit(year) == {district.market.pk: 3}


def test_m11_5_bureau_proposes_a_case_and_the_department_is_told(district):
    case = district.closed_case(district.urban)
    with assert_audited("guidingcases.guidingcase.create"):
        gc = services.guiding_case_propose(actor=district.supervisor, case=case, reasons=REASONS, texts=TEXTS)
    assert gc.origin == Origin.BUREAU and gc.department == district.urban
    assert Notification.objects.filter(organization=district.urban).exists()
    with pytest.raises(PermissionDenied):
        services.guiding_case_propose(actor=district.legal, case=district.closed_case(), reasons=REASONS,
                                      texts=TEXTS)


def test_m11_5_experts_invited_each_with_a_deadline_and_the_decision_waits_for_every_opinion(district):
    gc = nominate(district)
    due_on = timezone.localdate() + dt.timedelta(days=7)
    with assert_audited("guidingcases.expert.invite", gc):
        first, second = services.expert_invite(actor=district.supervisor, guiding_case=gc,
                                               experts=[district.expert, district.expert2], due_on=due_on)
    gc.refresh_from_db()
    assert gc.status == GuidingStatus.REVIEWING
    rows = Deadline.objects.filter(rule="expert_opinion", state=DeadlineState.OPEN)
    assert {d.person for d in rows} == {district.expert, district.expert2}
    with pytest.raises(ValidationError, match="不是专家库的专家"):
        services.expert_invite(actor=district.supervisor, guiding_case=gc, experts=[district.legal], due_on=due_on)
    with pytest.raises(PermissionDenied):  # only the invited expert himself
        services.expert_opinion_submit(actor=district.expert2, opinion=first, conclusion="agree", text="同意")
    with assert_audited("guidingcases.opinion.submit", first):
        services.expert_opinion_submit(actor=district.expert, opinion=first,
                                       conclusion=OpinionConclusion.REVISE, text="建议补充证据分析。")
    assert Deadline.objects.get(rule="expert_opinion", person=district.expert).state == DeadlineState.MET
    with pytest.raises(ValidationError, match="尚有 1 位专家未提交论证意见"):
        services.guiding_case_decide(actor=district.supervisor, guiding_case=gc, approve=True)
    services.expert_opinion_submit(actor=district.expert2, opinion=second, conclusion="agree", text="同意")
    with assert_audited("guidingcases.guidingcase.transition", gc):
        services.guiding_case_decide(actor=district.supervisor, guiding_case=gc, approve=True, note="通过")
    assert gc.status == GuidingStatus.APPROVED
    assert Notification.objects.filter(organization=district.government).exists()


def test_m11_5_bureau_may_reject_with_its_reasons(district):
    gc = nominate(district)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.guiding_case_decide(actor=district.supervisor, guiding_case=gc, approve=False)
    services.guiding_case_decide(actor=district.supervisor, guiding_case=gc, approve=False, note="典型性不足")
    assert gc.status == GuidingStatus.REJECTED and gc.decision_note == "典型性不足"


def test_m11_3_government_publishes_recording_the_channels_and_date(district):
    gc = approved(district)
    with assert_audited("guidingcases.guidingcase.transition", gc):
        services.guiding_case_publish(actor=district.gov, guiding_case=gc, in_gazette=True, in_press=False,
                                      in_compilation=True, published_on=timezone.localdate())
    assert gc.status == GuidingStatus.PUBLISHED and gc.channels_text == "政府公报、案例汇编"
    assert gc.published_on == timezone.localdate() and gc.published_by == district.gov
    other = nominate(district)
    services.guiding_case_decide(actor=district.supervisor, guiding_case=other, approve=False, note="否")
    with pytest.raises(PermissionDenied):
        services.guiding_case_publish(actor=district.gov, guiding_case=other, in_gazette=True,
                                      in_press=False, in_compilation=False, published_on=timezone.localdate())


def test_m11_3_publication_needs_a_channel_and_the_government(district):
    gc = approved(district)
    with pytest.raises(PermissionDenied):
        services.guiding_case_publish(actor=district.supervisor, guiding_case=gc, in_gazette=True,
                                      in_press=False, in_compilation=False, published_on=timezone.localdate())
    with pytest.raises(ValidationError, match="请至少选择一种发布形式"):
        services.guiding_case_publish(actor=district.gov, guiding_case=gc, in_gazette=False,
                                      in_press=False, in_compilation=False, published_on=timezone.localdate())


def test_m11_3_compilation_pdf_is_numbered_and_names_no_party(district, tmp_path):
    gc = published(district)
    with assert_audited("guidingcases.compilation.issue"):
        document = services.compilation_issue(actor=district.gov, year=gc.year)
    assert document.number == f"北政案汇〔{timezone.localdate().year}〕1号"
    path = tmp_path / "compilation.pdf"
    path.write_bytes(document.file.read())
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                              text=True, check=True).stdout)
    assert "行政执法指导案例汇编" in text and "王某小吃店使用过期原料案" in text
    for secret in (NAME, ID_NUMBER, COMPANY, CREDIT):
        assert secret not in text
    with pytest.raises(ValidationError, match="尚无已发布的指导案例"):
        services.compilation_issue(actor=district.gov, year=gc.year - 1)
    with pytest.raises(PermissionDenied):
        services.compilation_issue(actor=district.supervisor, year=gc.year)
