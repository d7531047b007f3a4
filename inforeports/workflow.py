"""An information report is adopted by the justice bureau (W3)."""
from __future__ import annotations

from core.models import Organization, OrgKind
from core.workflow import Transition, Workflow

from .models import ReportStatus as S


def justice_bureau(_obj=None) -> Organization | None:
    return Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True).order_by("pk").first()


REPORT_WORKFLOW = Workflow(
    owner=justice_bureau,
    transitions=[
        Transition((S.SUBMITTED,), S.ADOPTED, "inforeport.adopt", "采用", done="已采用该信息，报送单位已收到通知。"),
    ],
)
