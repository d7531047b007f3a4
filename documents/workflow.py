"""The status of an issued document (core.workflow): it is voided by its issuer or
replaced by a corrected version; nothing else about it ever changes."""
from __future__ import annotations

from core.workflow import Transition, Workflow

from .models import DocumentStatus as S

DOCUMENT_WORKFLOW = Workflow(
    owner=lambda document: document.issuer,
    transitions=[
        # The number stays used: a voided number is never given again (SPEC, "Documents").
        Transition((S.ISSUED,), S.VOIDED, "document.void", "作废", needs_note=True),
        # Set by documents.services.document_correct in the transaction that issues the
        # new version.
        Transition((S.ISSUED,), S.SUPERSEDED, "document.issue", "签发更正版本"),
    ],
)
