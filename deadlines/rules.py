"""The registry of time-limit rules: what each is, where it comes from, how it is counted.

Lengths are read from ``settings.DEADLINE_RULES`` so the bureau can change a number
without code (SPEC, "National rules … make every number a setting"); a day-counted
rule's unit (natural or working days) may be set in ``settings.DEADLINE_UNITS``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from . import calendar


class Unit:
    WORKING_DAYS = "working_days"  # counted in working days, ends 24:00 of the last one
    DAYS = "days"  # calendar days from the next day; a holiday end moves to a working day
    HOURS = "hours"  # clock time: an exact instant
    SET = "set"  # the due date is written in the document (notice, order, assignment)
    # Recurring duties: due at 24:00 of the period's last day.
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


PERIODIC_UNITS = {Unit.MONTH, Unit.QUARTER, Unit.HALF_YEAR, Unit.YEAR}
# Units a rule counted in days may be switched between (settings.DEADLINE_UNITS).
DAY_UNITS = {Unit.DAYS, Unit.WORKING_DAYS}
UNIT_LABELS = {
    Unit.WORKING_DAYS: "个工作日", Unit.DAYS: "日", Unit.HOURS: "小时", Unit.SET: "",
    Unit.MONTH: "每月", Unit.QUARTER: "每季度", Unit.HALF_YEAR: "每半年", Unit.YEAR: "每年",
}


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    clause: str
    unit: str
    length: int | None

    @property
    def length_text(self) -> str:
        if self.unit == Unit.SET:
            return "文书载明的期限"
        if self.unit in PERIODIC_UNITS:
            return UNIT_LABELS[self.unit]
        return f"{self.length} {UNIT_LABELS[self.unit]}"


# code → (label, clause, unit). Lengths: settings.DEADLINE_RULES[code].
_DEFINITIONS: dict[str, tuple[str, str, str]] = {
    "township_transfer": ("乡镇与区直部门案件移送", "M15.1", Unit.WORKING_DAYS),
    "township_transfer_urgent": ("紧急案件移送", "M15.1", Unit.HOURS),
    "discipline_referral": ("违纪线索移送", "M10.3", Unit.WORKING_DAYS),
    "transfer_acceptance": ("接收或退回移送案件", "M4.2", Unit.WORKING_DAYS),
    "criminal_transfer_decision": ("负责人作出是否移送涉嫌犯罪案件决定", "M4.3", Unit.DAYS),
    "criminal_transfer_send": ("批准后移送公安机关", "M4.3", Unit.HOURS),
    "police_filing_decision": ("公安机关作出是否立案决定", "M4.3", Unit.DAYS),
    "reconsideration_answer": ("不予立案复议答复", "M4.3", Unit.DAYS),
    # The sender's window, not a duty: no deadline row is opened for it (the 申请复议
    # guard in transfers.workflow reads it).
    "reconsideration_request": ("提请复议（自接到不予立案通知书之日起）", "M4.3", Unit.DAYS),
    "approval_claim": ("认领审批推送事项", "M14.2", Unit.WORKING_DAYS),
    # approvals/, jointcases/ (issue 20)
    "approval_feedback": ("反馈审批事项事中事后监管情况", "M14.2", Unit.WORKING_DAYS),
    "guidance_report": ("督导任务反馈", "M6.2", Unit.SET),
    "ordered_transfer": ("责令限期移送", "M4.5", Unit.SET),
    "rectification": ("监督通知书整改", "M7.5", Unit.SET),
    "resolution_feedback": ("议定事项办理反馈", "M1.5", Unit.SET),
    "inspection_materials": ("报送监督检查材料", "M7.4", Unit.SET),  # inspections
    "assistance_reply": ("协助事项答复", "M3.4", Unit.SET),
    "accountability_determination": ("认定行政执法过错责任", "M8.3", Unit.WORKING_DAYS),  # accountability/
    "publicity_licensing_penalty": ("行政许可、行政处罚决定公示", "三项制度", Unit.WORKING_DAYS),
    "publicity_other": ("其他执法决定公示", "三项制度", Unit.WORKING_DAYS),
    "web_inspection": ("网上巡查", "M5.3", Unit.QUARTER),
    # infosharing (M5.4, M5.5): a unit's statistics by the request's date; an agency's
    # answer to another's query.
    "statistics_report": ("报送执法统计", "M5.4", Unit.SET),
    "info_query_answer": ("答复执法信息查询", "M5.5", Unit.WORKING_DAYS),
    "annual_joint_meeting": ("年度联席会议", "M1.2", Unit.YEAR),
    "approval_linkage_meeting": ("审管联动联席会议", "M14.1", Unit.QUARTER),
    "info_reports": ("报送执法信息（每月不少于 2 条）", "W3", Unit.MONTH),
    "officer_evaluation": ("执法人员半年考评", "M9.7", Unit.HALF_YEAR),
    "self_assessment": ("年度执法工作自评", "M9.6", Unit.YEAR),
    "guiding_case_submission": ("报送指导案例（1 月 1 日前）", "M11.2", Unit.YEAR),
    # disputes (M2, M15.6)
    "dispute_acceptance": ("受理执法争议协调申请", "M2.1", Unit.WORKING_DAYS),
    "dispute_opinion": ("提交争议书面意见", "M2.1", Unit.SET),
    "dispute_confirmation": ("确认争议协调意见", "M2.1", Unit.WORKING_DAYS),
    "dispute_ruling": ("区政府裁决执法争议", "M2.4", Unit.WORKING_DAYS),
    "dispute_implementation": ("执行区政府裁决", "M2.4", Unit.SET),
    # complaints (M3): the national market-regulation complaint rules' periods
    # (市场监督管理投诉举报处理暂行办法).
    "complaint_acceptance": ("决定是否受理投诉举报", "M3.2", Unit.WORKING_DAYS),
    "complaint_handling": ("投诉举报办理", "M3.2", Unit.DAYS),
    "report_verification": ("举报核查", "M3.2", Unit.WORKING_DAYS),
    "complaint_answer": ("答复投诉举报人", "M3.2", Unit.WORKING_DAYS),
    "expert_opinion": ("专家论证意见", "M11.5", Unit.SET),  # guidingcases: the due the bureau sets
}


# Rules whose due a supervising organisation writes into its notice or order, and the
# capability with which it imposed it: only that organisation (``Deadline.imposed_by``),
# through that capability, extends such a deadline, and only at the responsible unit's
# request (issue 15 item 10) — the unit's own head cannot move the date.
IMPOSED: dict[str, str] = {
    "rectification": "supervision.notice",  # M7.5: the supervision notice's deadline
    "ordered_transfer": "transfer.order",  # M4.5: the order to transfer by a date
}


def is_imposed(code: str) -> bool:
    return code in IMPOSED


class _Registry(Mapping):
    """code → Rule, read from settings at each look-up, so a changed length (or a test's
    override) takes effect without a restart of anything but the process."""

    def __getitem__(self, code: str) -> Rule:
        label, clause, unit = _DEFINITIONS[code]
        if unit in DAY_UNITS:
            unit = getattr(settings, "DEADLINE_UNITS", {}).get(code, unit)
            if unit not in DAY_UNITS:
                raise ImproperlyConfigured(
                    f"settings.DEADLINE_UNITS[{code!r}] must be one of {sorted(DAY_UNITS)}")
        length = getattr(settings, "DEADLINE_RULES", {}).get(code)
        if unit in (Unit.WORKING_DAYS, Unit.DAYS, Unit.HOURS) and not length:
            raise ImproperlyConfigured(f"settings.DEADLINE_RULES has no length for {code!r}")
        return Rule(code, label, clause, unit, length)

    def __iter__(self):
        return iter(_DEFINITIONS)

    def __len__(self) -> int:
        return len(_DEFINITIONS)


RULES = _Registry()


def rule(code: str) -> Rule:
    if code not in _DEFINITIONS:
        raise ValidationError(f"未知的时限规则：{code}")
    return RULES[code]


def rule_label(code: str) -> str:
    definition = _DEFINITIONS.get(code)
    return definition[0] if definition else code


def rule_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _c, _u) in _DEFINITIONS.items()]


@dataclass(frozen=True)
class Due:
    due: dt.datetime
    warn_at: dt.datetime
    provisional: bool


def period_bounds(unit: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    """(period key, first day, last day) of the period of ``unit`` containing ``day``."""
    y, m = day.year, day.month
    if unit == Unit.MONTH:
        first = day.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return f"{y}-{m:02d}", first, nxt - dt.timedelta(days=1)
    if unit == Unit.QUARTER:
        q = (m - 1) // 3 + 1
        first = dt.date(y, 3 * q - 2, 1)
        last = (dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)) - dt.timedelta(days=1)
        return f"{y}-Q{q}", first, last
    if unit == Unit.HALF_YEAR:
        h = 1 if m <= 6 else 2
        first = dt.date(y, 1 if h == 1 else 7, 1)
        last = dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31)
        return f"{y}-H{h}", first, last
    if unit == Unit.YEAR:
        return str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)
    raise ValueError(f"{unit} is not a period")


def compute_due(r: Rule, start: dt.datetime, due: dt.datetime | None = None) -> Due:
    """When a deadline of rule ``r`` started at ``start`` falls due, when its "one working
    day left" reminder is sent, and whether either rests on an unscheduled year."""
    provisional = False
    if r.unit == Unit.SET or due is not None:
        if due is None:
            raise ValidationError(f"“{r.label}”的期限由文书载明，请填写届满时间。")
    elif r.unit == Unit.HOURS:
        due = start + dt.timedelta(hours=r.length)
    elif r.unit == Unit.WORKING_DAYS:
        result = calendar.add_working_days(calendar.local_date(start), r.length)
        due, provisional = calendar.end_of_day(result.date), result.provisional
    elif r.unit == Unit.DAYS:
        # Counting starts the next day; an end on a holiday moves to the next working day.
        end = calendar.next_working_day(calendar.local_date(start) + dt.timedelta(days=r.length))
        due, provisional = calendar.end_of_day(end.date), end.provisional
    else:
        _key, _first, last = period_bounds(r.unit, calendar.local_date(start))
        due = calendar.end_of_day(last)
    return Due(due=due, warn_at=max(warning_time(due), start), provisional=provisional)


def warning_time(due: dt.datetime) -> dt.datetime:
    """One working day before ``due``: the same clock time on the previous working day
    (for a deadline ending 24:00, the start of its last day)."""
    local = due.astimezone(calendar.SHANGHAI)
    last_day = calendar.local_date(due - dt.timedelta(microseconds=1))
    previous = calendar.previous_working_day(
        last_day if local.time() == dt.time.min else local.date())
    if local.time() == dt.time.min:
        return calendar.end_of_day(previous.date)
    return dt.datetime.combine(previous.date, local.time(), tzinfo=calendar.SHANGHAI)
