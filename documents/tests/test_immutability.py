"""Issued documents are immutable: a correction is a new version (issue 4.3)."""
import datetime as dt
import hashlib

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError

from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState
from documents import services
from documents.models import Document, DocumentCounter, ImmutableDocumentError

pytestmark = pytest.mark.django_db


def test_an_issued_document_records_file_hash_issuer_time_number_and_data(issue_notice,
                                                                         bureau_supervisor):
    document = issue_notice()
    content = document.file.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.size == len(content)
    assert document.issued_by == bureau_supervisor and document.issued_at is not None
    assert document.data["rectification"] == "逐件复查，依法纠正。"


def test_the_model_refuses_to_change_or_delete_an_issued_document(issue_notice):
    document = issue_notice()
    document.title = "改过的标题"
    with pytest.raises(ImmutableDocumentError):
        document.save()
    with pytest.raises(ImmutableDocumentError):
        document.delete()


def test_the_database_refuses_to_change_or_delete_an_issued_document(issue_notice):
    assert connection.vendor == "postgresql"
    document = issue_notice()
    for change in ({"title": "改"}, {"sha256": "0" * 64}, {"file": "documents/other.pdf"},
                   {"data": {}}, {"number": "北司监〔2026〕99号"}):
        with pytest.raises(InternalError, match="不能修改"), transaction.atomic():
            Document.objects.filter(pk=document.pk).update(**change)
    with pytest.raises(InternalError, match="不能删除"), transaction.atomic():
        Document.objects.filter(pk=document.pk).delete()
    with pytest.raises(InternalError, match="不能回退"), transaction.atomic():
        DocumentCounter.objects.update(last_sequence=0)
    assert Document.objects.get(pk=document.pk).title == document.title


def test_a_voided_document_cannot_be_revived_in_the_database(issue_notice, bureau_supervisor):
    document = issue_notice()
    services.document_void(document=document, actor=bureau_supervisor, reason="发错单位")
    with pytest.raises(InternalError, match="不能再变更"), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(status="issued")


def test_a_correction_is_a_new_version_pointing_to_the_old_one(issue_notice, bureau_supervisor):
    """M7.5: a corrected notice moves the rectification deadline to its new date."""
    old = issue_notice()
    new_deadline = dt.date.fromisoformat(old.data["deadline"]) + dt.timedelta(days=10)
    with assert_audited("document.correct"):
        new = services.document_correct(document=old, actor=bureau_supervisor,
                                        data={"deadline": new_deadline.isoformat()})
    old = Document.objects.get(pk=old.pk)
    assert (new.previous, new.version, new.number) == (old, 2, old.number)
    assert old.status == "superseded" and new.status == "issued"
    assert old.sha256 != new.sha256 and old.file.name != new.file.name
    deadlines = Deadline.objects.filter(rule="rectification").order_by("id")
    assert [d.state for d in deadlines] == [DeadlineState.CANCELLED, DeadlineState.OPEN]
    assert deadlines[1].target_id == str(new.pk)


def test_voiding_needs_a_reason_and_cancels_the_rectification_deadline(issue_notice,
                                                                     bureau_supervisor):
    from django.core.exceptions import ValidationError

    document = issue_notice()
    with pytest.raises(ValidationError, match="理由"):
        services.document_void(document=document, actor=bureau_supervisor, reason="  ")
    services.document_void(document=document, actor=bureau_supervisor, reason="发错单位")
    assert Deadline.objects.get(rule="rectification").state == DeadlineState.CANCELLED
    with pytest.raises(ValidationError):
        services.document_correct(document=document, actor=bureau_supervisor,
                                  data={"facts": "新"})
