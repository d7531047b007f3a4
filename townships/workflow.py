"""Status tables of the M15 records (core.workflow: one mechanism)."""
from __future__ import annotations

from core.workflow import Meets, Transition, Workflow

from .models import AssistanceStatus, ComplaintStatus


COMPLAINT_WORKFLOW = Workflow(
    owner=lambda c: c.receiver,
    transitions=[
        Transition((ComplaintStatus.RECEIVED,), ComplaintStatus.HANDLER_TOLD, "cooperation.handle",
                   "已告知投诉人处理单位"),
        # The handler (the township) reports the result.
        Transition((ComplaintStatus.HANDLER_TOLD,), ComplaintStatus.RESULT_REPORTED,
                   "cooperation.handle", "告知投诉人处理结果并反馈区职能部门",
                   org=lambda c: c.handler, needs_note=True),
    ],
)

ASSISTANCE_WORKFLOW = Workflow(
    owner=lambda a: a.addressee,
    transitions=[
        # M15.5: either answer meets the reply deadline opened with the request.
        Transition((AssistanceStatus.REQUESTED,), AssistanceStatus.REPLIED, "cooperation.handle",
                   "答复", needs_note=True, meets=(Meets("assistance_reply"),)),
        Transition((AssistanceStatus.REQUESTED,), AssistanceStatus.DECLINED, "cooperation.handle",
                   "不予协助", needs_note=True, secondary=True, meets=(Meets("assistance_reply"),)),
    ],
)
