"""文号: unique and gap-free per issuer, kind and year, never reused (SPEC, "Documents")."""
import threading

import pytest
from django.db import connection, connections

from core.models import Role
from core.testing import OrganizationFactory, assert_audited, justice_bureau, member
from documents import rendering, services
from documents.models import Document, DocumentCounter

SAMPLE = {"addressee": "北戴河区市场监督管理局", "facts": "问题。", "legal_basis": "依据。",
          "rectification": "整改。", "deadline": "2030-01-31", "report_method": "书面报告。"}


@pytest.mark.django_db
def test_numbers_are_consecutive_per_issuer_and_year(bureau_supervisor):
    numbers = []
    for _ in range(3):
        with assert_audited("document.issue"):
            doc = services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                          data=SAMPLE, target=None, actor=bureau_supervisor)
        numbers.append(doc.number)
    year = doc.year
    assert numbers == [f"北司监〔{year}〕{n}号" for n in (1, 2, 3)]


@pytest.mark.django_db
def test_a_voided_number_stays_used(bureau_supervisor):
    first = services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                    data=SAMPLE, target=None, actor=bureau_supervisor)
    with assert_audited("documents.document.transition", first):
        services.document_void(document=first, actor=bureau_supervisor, reason="发错单位")
    second = services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                     data=SAMPLE, target=None, actor=bureau_supervisor)
    assert (first.sequence, second.sequence) == (1, 2)
    assert Document.objects.get(pk=first.pk).status == "voided"


@pytest.mark.django_db
def test_a_failed_render_gives_the_number_back(bureau_supervisor, monkeypatch):
    """Gap-free: the number is allocated in the transaction that stores the document."""
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                data=SAMPLE, target=None, actor=bureau_supervisor)
    monkeypatch.undo()
    doc = services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                  data=SAMPLE, target=None, actor=bureau_supervisor)
    assert doc.sequence == 1


@pytest.mark.django_db
def test_only_a_supervisor_issues_a_supervision_notice():
    """M7.1/M7.5: the notice is the justice bureau's; a department head cannot issue one."""
    from django.core.exceptions import PermissionDenied

    head = member(Role.DEPARTMENT_HEAD, OrganizationFactory())
    with pytest.raises(PermissionDenied, match="签发行政执法监督通知书"):
        services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                data=SAMPLE, target=None, actor=head)
    assert not DocumentCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_issues_get_fifty_distinct_consecutive_numbers():
    """Fifty threads, each on its own PostgreSQL connection, issue at once."""
    assert connection.vendor == "postgresql"
    from core.testing import supervisor

    actor = supervisor()
    bureau = justice_bureau()
    start = threading.Barrier(50)
    numbers, errors = [], []

    def issue():
        try:
            start.wait()
            doc = services.document_issue(kind="supervision_notice", issuer=bureau,
                                          data=SAMPLE, target=None, actor=actor)
            numbers.append(doc.sequence)
        except Exception as exc:  # reported below, with the thread's error
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 51))
    assert DocumentCounter.objects.get(issuer=bureau).last_sequence == 50
    assert Document.objects.values("number").distinct().count() == 50


@pytest.mark.django_db
def test_a_rolled_back_issue_leaves_no_file_for_long(bureau_supervisor):
    """The PDF is written inside the issue's transaction; a rollback after it (here: the
    operation around it fails) keeps the file. The daily prune removes such a file once it
    is a day old, and never a document's own."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    kept = services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                   data=SAMPLE, target=None, actor=bureau_supervisor)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                data=SAMPLE, target=None, actor=bureau_supervisor)
        raise RuntimeError("the deadline opened with it failed")
    storage = kept.file.storage
    folder = f"documents/{kept.year}/"
    assert len(storage.listdir(folder)[1]) == 2  # the leftover is on disk
    from documents import tasks

    assert tasks.orphan_files_prune() == 0  # not a day old yet: perhaps uncommitted
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    with assert_audited("files.prune"):
        (left,) = services.orphan_files_prune(now=later)
    assert left != kept.file.name and storage.listdir(folder)[1] == [kept.file.name.split("/")[-1]]
    assert storage.exists(kept.file.name)
    assert services.orphan_files_prune(now=later) == []
