"""The appraisal's pages and API: what each role sees and may do, in Chinese, with the
lists filtered and exported and the computed figures linking to their rows."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import AppraisalStatus, Basis, Method, OfficerEvaluation, ReportStatus
from dashboard.registry import Scope

pytestmark = pytest.mark.django_db


def _published(district):
    appraisal = district.scheme(year=timezone.localdate().year)
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    item = appraisal.items.get(method=Method.SCORED)
    for unit, p in ((district.market, 57), (district.urban, 45), (district.township, 10)):
        services.score_save(actor=district.supervisor, item=item, unit=unit, points=Decimal(p),
                            basis=Basis.DAILY)
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.PROPOSED)
    services.appraisal_transition(actor=district.approver, appraisal=appraisal,
                                  target=AppraisalStatus.APPROVED, note="同意。")
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.PUBLISHED)
    return appraisal


def test_m9_1_scheme_form_keeps_what_was_typed_on_error(client, district):
    appraisal = district.scheme()
    client.force_login(district.supervisor)
    response = client.post(reverse("assessment:item_new", args=[appraisal.pk]), {
        "area": "results", "title": "工作实效", "weight": "10", "method": "computed", "indicator": ""})
    assert response.status_code == 200
    assert "请选择平台计算的数据来源" in response.content.decode()
    assert 'value="工作实效"' in response.content.decode()
    services.item_remove(actor=district.supervisor, item=appraisal.items.get(method=Method.COMPUTED))
    page = client.get(appraisal.get_absolute_url()).content.decode()
    assert "依法、科学、民主决策" in page and "尚不能开始考核" in page
    assert "合计须为100分（现为60分）" in page


def test_m9_1_computed_figure_links_to_the_rows_behind_it(client, district):
    appraisal = district.scheme()
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    client.force_login(district.supervisor)
    page = client.get(reverse("assessment:unit", args=[appraisal.pk, district.market.pk])).content.decode()
    rows = reverse("deadlines:list") + f"?rule=publicity_licensing_penalty&amp;organization={district.market.pk}"
    assert rows in page
    assert "无数据" in page and "尚未评分" in page


def test_m9_2_score_form_refuses_points_above_the_weight_and_keeps_them(client, district):
    appraisal = district.scheme()
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    item = appraisal.items.get(method=Method.SCORED)
    client.force_login(district.supervisor)
    url = reverse("assessment:score", args=[item.pk, district.urban.pk])
    response = client.post(url, {"points": "70", "basis": "open_visit", "note": "明察发现问题"})
    body = response.content.decode()
    assert response.status_code == 200 and "明察发现问题" in body
    response = client.post(url, {"points": "50", "basis": "open_visit", "note": "明察发现问题"})
    assert response.status_code == 302
    assert "明察：明察发现问题" in client.get(response["Location"]).content.decode()
    client.force_login(district.urban_head)  # not the unit's to score, nor to see before approval
    assert client.get(url).status_code == 403
    assert client.get(reverse("assessment:unit", args=[appraisal.pk, district.urban.pk])).status_code == 404


def test_m9_4_unit_sees_its_result_after_approval_page_and_api_agree(client, district):
    appraisal = _published(district)
    client.force_login(district.urban_head)
    page = client.get(reverse("assessment:unit", args=[appraisal.pk, district.urban.pk])).content.decode()
    assert "良好" in page
    assert client.get(reverse("assessment:unit", args=[appraisal.pk, district.market.pk])).status_code == 404
    data = client.get("/api/v1/appraisals/").json()
    results = data["results"][0]["results"]
    assert [r["unit_name"] for r in results] == ["区城市管理综合行政执法局"]
    client.force_login(district.supervisor)
    data = client.get("/api/v1/appraisals/").json()
    assert len(data["results"][0]["results"]) == 3


def test_m9_4_results_published_on_the_public_portal(client, district):
    appraisal = _published(district)
    portal = client.get(reverse("portal:index")).content.decode()
    assert reverse("assessment:public") in portal and "考核结果" in portal
    page = client.get(reverse("assessment:public")).content.decode()
    assert appraisal.title in page and appraisal.report.number in page
    assert "区城市管理综合行政执法局" in page and "不合格" in page


def test_m9_4_lists_filter_and_export(client, district):
    _published(district)
    client.force_login(district.supervisor)
    assert "依法行政考核" in client.get(reverse("assessment:list") + "?q=2026").content.decode()
    response = client.get(reverse("assessment:list") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(reverse("assessment:list") + "?year=abc")
    assert "没有符合条件的记录" in response.content.decode()


def test_m9_6_self_assessment_form_and_public_page(client, district):
    appraisal = district.scheme(year=timezone.localdate().year)
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    items = list(appraisal.items.all())
    client.force_login(district.market_legal)
    url = reverse("assessment:self_assessment_edit", args=[appraisal.year])
    data = {"summary": "全年依法行政情况良好。", f"points_{items[0].pk}": "99", f"points_{items[1].pk}": "38"}
    response = client.post(url, data)
    assert response.status_code == 200 and "全年依法行政情况良好" in response.content.decode()
    data[f"points_{items[0].pk}"] = "55"
    response = client.post(url, data)
    assert response.status_code == 302
    sa = appraisal.self_assessments.get()
    client.post(reverse("assessment:self_assessment_transition", args=[sa.pk]), {"target": ReportStatus.FILED})
    client.post(reverse("assessment:self_assessment_transition", args=[sa.pk]), {"target": ReportStatus.PUBLISHED})
    sa.refresh_from_db()
    assert sa.status == ReportStatus.PUBLISHED
    client.logout()
    public = client.get(reverse("assessment:public")).content.decode()
    assert str(sa) in public
    assert "全年依法行政情况良好" in client.get(reverse("assessment:public_self_assessment", args=[sa.pk])).content.decode()
    api = client.get("/api/v1/self-assessments/")
    assert api.status_code in (401, 403)


def test_m9_7_grades_entered_on_the_page_and_the_officers_history(client, district):
    client.force_login(district.market_legal)
    period = f"{timezone.localdate().year}-H1"
    response = client.post(reverse("assessment:evaluation_new"), {"department": district.market.pk,
                                                                 "period": "2026-3"})
    assert "选择一个有效的选项" in response.content.decode()
    response = client.post(reverse("assessment:evaluation_new"), {"department": district.market.pk,
                                                                 "period": period})
    evaluation_url = response["Location"]
    evaluation = OfficerEvaluation.objects.get()
    officer = district.market_officer
    client.post(reverse("assessment:evaluation_grade", args=[evaluation.pk]), {
        f"grade_{officer.pk}": "excellent", f"remarks_{officer.pk}": "办案规范",
        f"grade_{district.market_legal.pk}": "competent", f"remarks_{district.market_legal.pk}": ""})
    page = client.get(evaluation_url).content.decode()
    assert "办案规范" in page
    client.force_login(officer)
    history = client.get(reverse("assessment:officer", args=[officer.pk])).content.decode()
    assert "优秀" in history and "办案规范" in history
    client.force_login(district.urban_head)
    assert client.get(reverse("assessment:officer", args=[officer.pk])).status_code == 404
    assert client.get("/api/v1/officer-evaluations/").json()["count"] == 0


def test_w2_unit_page_shows_each_mechanism_and_the_office_issues_a_notice(client, district):
    from deadlines.services import deadline_open

    deadline_open(target=district.urban, rule="publicity_licensing_penalty", responsible=district.urban,
                  start=timezone.now(), actor=None)
    client.force_login(district.clerk)
    listing = client.get(reverse("assessment:implementation")).content.decode()
    assert "区城市管理综合行政执法局" in listing
    page = client.get(reverse("assessment:implementation_unit", args=[district.urban.pk])).content.decode()
    assert "行政执法三项制度" in page and "行政许可、行政处罚决定公示" in page
    response = client.post(reverse("assessment:implementation_notice", args=[district.urban.pk]),
                           {"facts": "", "requirements": "整改"})
    assert response.status_code == 200
    response = client.post(reverse("assessment:implementation_notice", args=[district.urban.pk]),
                           {"facts": "议定事项逾期未反馈。", "requirements": "限期整改。"})
    assert response.status_code == 302
    page = client.get(reverse("assessment:implementation_unit", args=[district.urban.pk])).content.decode()
    assert "落实行政执法协调监督工作机制不力的通报" in page
    client.force_login(district.urban_head)
    assert client.get(reverse("assessment:implementation")).status_code == 403


def test_m9_dashboard_panel_reads_two_statements(district, django_assert_max_num_queries):
    from core import policy
    from dashboard.registry import Period

    from assessment.dashboard import assessment_panel

    _published(district)
    today = timezone.localdate()
    period = Period("year", today.replace(month=1, day=1), today.replace(month=12, day=31), "本年")
    user = district.supervisor
    viewer = policy.viewer(user)
    scope = Scope(user=user, viewer=viewer, period=period, now=timezone.now(), organizations=(), org_ids=None)
    with django_assert_max_num_queries(2):
        panel = assessment_panel(scope)
    figures = {m.label: m.figure.value for m in panel.metrics}
    assert figures == {"被考核单位": 3, "优秀": 1, "不合格": 1, "已报备的考核自评": 0,
                       "已备案的执法人员考核评议": 0}
