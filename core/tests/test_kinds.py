"""core/kinds.py: the attachment scope follows only the kinds of record files are on, and a
kind this process stores a file on is followed at once (the deadline scope's twin is in
deadlines/tests/test_services.py)."""
from __future__ import annotations

import io

import pytest

from core import policy, services
from core.models import Attachment
from core.selectors import ATTACHMENT_KINDS
from townships.tests.conftest import world  # noqa: F401  (a consultation with a participant)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachment_scope_follows_only_kinds_with_files_and_a_new_kind_at_once(world, settings):  # noqa: F811
    settings.SCOPE_KINDS_SECONDS = 60
    ATTACHMENT_KINDS.forget()
    participant = world.dept_officer  # sees the consultation, not the township's own uploads
    assert "townships_consultation" not in str(policy.visible_to(participant, Attachment).query)
    attachment = services.attachment_store(
        actor=world.town_head, organization=world.township, fileobj=io.BytesIO(PDF), name="会商纪要.pdf",
        size=len(PDF), target=world.consultation)
    assert "townships_consultation" in str(policy.visible_to(participant, Attachment).query)
    assert list(policy.visible_to(participant, Attachment)) == [attachment]
    assert list(policy.visible_to(world.stranger, Attachment)) == []
    ATTACHMENT_KINDS.forget()  # read afresh from the table: the same kinds
    assert list(policy.visible_to(participant, Attachment)) == [attachment]
