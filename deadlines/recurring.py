"""The recurring duties of the plan (SPEC, "Deadlines": the annual joint meeting, the
quarterly web inspection, guiding cases, self-assessment, officer evaluation, monthly
information reports …) and which of them are in force.

A duty is opened only for a mechanism that can meet it: until its app is built nothing
in the platform could ever meet the row, and it would stand as overdue against every
unit (issue 15 item 12). The mechanism's app switches its duty on in its ``ready()``:

    from deadlines import recurring
    recurring.enable("annual_joint_meeting")

A duty not switched on is opened for no one, and live rows of it (opened before this
registry existed) are cancelled by ``services.deadlines_open_recurring``, so they count
nowhere as overdue.
"""
from __future__ import annotations

from django.db.models import Q

from core.models import OrgKind

# rule → which organisations owe it (SPEC, Deadlines table).
DUTIES: dict[str, Q] = {
    "web_inspection": Q(kind=OrgKind.JUSTICE_BUREAU),  # M5.3
    "annual_joint_meeting": Q(kind=OrgKind.COORDINATION_OFFICE),  # M1.2
    "approval_linkage_meeting": Q(kind=OrgKind.APPROVAL_BUREAU),  # M14.1
    "info_reports": Q(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP]),  # W3
    "officer_evaluation": Q(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP]),  # M9.7
    "self_assessment": Q(kind=OrgKind.DEPARTMENT),  # M9.6
    "guiding_case_submission": Q(kind=OrgKind.DEPARTMENT),  # M11.2
}

_ENABLED: set[str] = set()

# Why a live row of a duty not in force is cancelled (its history keeps the reason).
NOT_IN_FORCE = "该项工作尚未在平台上线办理，暂不计算期限。"


def enable(rule: str) -> None:
    """Switch ``rule``'s duty on: its mechanism can now meet it."""
    if rule not in DUTIES:
        raise KeyError(f"{rule!r} is not a recurring duty")
    _ENABLED.add(rule)


def disable(rule: str) -> None:
    _ENABLED.discard(rule)


def in_force() -> dict[str, Q]:
    """The duties to open: those a mechanism has switched on."""
    return {code: owed for code, owed in DUTIES.items() if code in _ENABLED}


def not_in_force() -> list[str]:
    return [code for code in DUTIES if code not in _ENABLED]
