"""The demo district's appraisal (``manage.py seed_demo``), made through the services:

- last year's appraisal, scored, proposed, approved by the district government, fed back
  and published with its numbered 考核结果通报 — 北戴河区市场监督管理局 commended;
- this year's appraisal open, with the same scheme: its computed indicators read the
  demo's deadlines, transfers and reversals; some of the bureau's scores entered;
- 北戴河区市场监督管理局's self-assessments: last year's published, this year's filed;
  and its officers' evaluation of the first half of this year, filed and published.

Runs last (``assessment`` ends INSTALLED_APPS); does nothing once an appraisal exists."""
from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from core.demo import register_seeder
from core.models import Organization, User

from . import selectors, services
from .models import AppraisalStatus, Area, Basis, Honour, Method, ReportStatus

# (area, title, weight, method, indicator, criteria)
SCHEME = [
    (Area.AWARENESS, "领导干部学法用法和执法人员培训", 10, Method.SCORED, "",
     "领导班子年度学法不少于4次、执法人员培训不少于40学时，缺一项扣2分。"),
    (Area.AWARENESS, "执法人员半年考评按期备案", 5, Method.COMPUTED, "deadline:officer_evaluation", ""),
    (Area.INSTITUTIONS, "行政执法制度建设", 10, Method.SCORED, "", "制度缺失或未执行的，每项扣2分。"),
    (Area.INSTITUTIONS, "联席会议议定事项按期反馈", 10, Method.COMPUTED, "deadline:resolution_feedback", ""),
    (Area.DECISIONS, "重大执法决定法制审核", 15, Method.SCORED, "", "未经法制审核作出重大执法决定的，每件扣3分。"),
    (Area.ENFORCEMENT, "行政处罚决定按期公示", 15, Method.COMPUTED, "deadline:publicity_licensing_penalty", ""),
    (Area.ENFORCEMENT, "监督通知书按期整改", 10, Method.COMPUTED, "deadline:rectification", ""),
    (Area.ENFORCEMENT, "移送案件被接收率", 5, Method.COMPUTED, "transfers_accepted", ""),
    (Area.DISPUTES, "行政复议被纠错和行政诉讼败诉", 10, Method.COMPUTED, "reversals", "每件扣2分。"),
    (Area.RESULTS, "依法行政工作实效（明察暗访）", 10, Method.SCORED, "", "群众满意度和明察暗访发现问题情况。"),
]
# Last year's scored points per unit name (out of the scored items' weights, in order).
LAST_YEAR = {"北戴河区市场监督管理局": (10, 10, 15, 10), "北戴河区城市管理综合行政执法局": (8, 9, 12, 8),
             "北戴河区住房和城乡建设局": (6, 5, 9, 5)}


def _scheme(actor, appraisal) -> None:
    for area, title, weight, method, indicator, criteria in SCHEME:
        services.item_save(actor=actor, appraisal=appraisal, area=area, title=title,
                           weight=Decimal(weight), method=method, indicator=indicator,
                           criteria=criteria)


def _score_all(actor, appraisal, default=(7, 7, 11, 7)) -> None:
    scored = list(appraisal.items.filter(method=Method.SCORED))
    for unit in appraisal.units.all():
        points = LAST_YEAR.get(unit.name, default)
        for item, p in zip(scored, points):
            services.score_save(actor=actor, item=item, unit=unit, points=Decimal(p),
                                basis=Basis.CENTRAL, note="年度集中考核查阅资料和案卷。")


@register_seeder
def seed_assessment() -> None:
    bureau = User.objects.filter(username="jdy").first()
    government = User.objects.filter(username="zf").first()
    legal = User.objects.filter(username="scj_fz").first()
    market = Organization.objects.filter(name="北戴河区市场监督管理局").first()
    from .models import Appraisal

    if None in (bureau, government, legal, market) or Appraisal.objects.exists():
        return
    year = timezone.localdate().year
    services.reversal_save(actor=bureau, year=year - 1, unit=Organization.objects.get(
        name="北戴河区住房和城乡建设局"), reconsideration_reversed=1, litigation_lost=1,
        note="建筑工地扬尘处罚复议被撤销1件，违建拆除诉讼败诉1件。")

    # Last year: approved and published.
    last = services.appraisal_create(actor=bureau, year=year - 1)
    _scheme(bureau, last)
    services.appraisal_transition(actor=bureau, appraisal=last, target=AppraisalStatus.OPEN)
    _score_all(bureau, last)
    sa = services.self_assessment_save(
        actor=legal, appraisal=last, department=market,
        summary="本局全面落实行政执法三项制度，全年办结行政处罚案件286件，法制审核率100%，"
                "行政处罚决定全部在7个工作日内公示。",
        scores={i.pk: (i.weight, "") for i in last.items.all()})
    services.self_assessment_transition(actor=legal, sa=sa, target=ReportStatus.FILED)
    services.self_assessment_transition(actor=legal, sa=sa, target=ReportStatus.PUBLISHED)
    services.appraisal_transition(actor=bureau, appraisal=last, target=AppraisalStatus.PROPOSED)
    services.appraisal_transition(actor=government, appraisal=last, target=AppraisalStatus.APPROVED,
                                  note="经区政府常务会议研究，同意区司法局提出的考核结果。")
    best = last.results.order_by("-total").first()
    services.result_honour(actor=bureau, result=best, honour=Honour.COMMENDED,
                           note="行政执法三项制度落实到位，各项期限事项全部按期办结")
    worst = last.results.order_by("total").first()
    if worst.pk != best.pk and worst.grade in ("pass", "fail"):
        services.result_honour(actor=bureau, result=worst, honour=Honour.CRITICISED,
                               note="行政复议被纠错、行政诉讼败诉，重大执法决定法制审核不到位")
    services.appraisal_transition(actor=bureau, appraisal=last, target=AppraisalStatus.PUBLISHED)

    # This year: open, the computed indicators live; two units scored so far.
    current = services.appraisal_create(actor=bureau, year=year, copy_from=last)
    services.appraisal_transition(actor=bureau, appraisal=current, target=AppraisalStatus.OPEN)
    first = current.items.filter(method=Method.SCORED).first()
    for unit in current.units.filter(name__in=list(LAST_YEAR)[:2]):
        services.score_save(actor=bureau, item=first, unit=unit, points=Decimal(8),
                            basis=Basis.UNANNOUNCED_VISIT, note="暗访执法窗口，学法记录齐全。")
    sa = services.self_assessment_save(
        actor=legal, appraisal=current, department=market,
        summary="本年度本局持续推进严格规范公正文明执法，案件移送、执法公示均按期完成。",
        scores={i.pk: (i.weight - 1 if i.method == Method.SCORED else i.weight, "")
                for i in current.items.all()})
    services.self_assessment_transition(actor=legal, sa=sa, target=ReportStatus.FILED)

    # The market bureau's officers, this half year: filed and published.
    evaluation = services.officer_evaluation_create(actor=legal, department=market,
                                                    period=selectors.half_year(timezone.localdate()))
    grades = {}
    for n, g in enumerate(evaluation.grades.select_related("officer")):
        grades[g.officer_id] = ("excellent" if n == 0 else "competent", "执法程序规范，案卷质量较高。" if n == 0 else "")
    services.officer_evaluation_grade(actor=legal, evaluation=evaluation, grades=grades)
    services.officer_evaluation_transition(actor=legal, evaluation=evaluation, target=ReportStatus.FILED)
    services.officer_evaluation_transition(actor=legal, evaluation=evaluation,
                                           target=ReportStatus.PUBLISHED)
