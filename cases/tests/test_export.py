"""The case register as Excel through core.exports: small exports stream at once, large
ones run in a Celery worker with a progress page; IDs masked as on the pages."""
from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.exports import case_export_rows
from cases.testing import make_case, party_data
from core.models import ExportJob, ExportState, Role
from core.testing import OrganizationFactory, member, supervisor

ID = "130304198805061234"


def _sheet(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_small_export_downloads_the_filtered_rows(client):
    dept = OrganizationFactory()
    case = make_case(dept, parties=[party_data(name="赵六", id_number=ID)])
    make_case(dept, act_type="inspection")
    client.force_login(case.officers.first())
    response = client.get(reverse("cases:list"), {"act_type": "penalty", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(b"".join(response.streaming_content))
    assert rows[0][0] == "案件编号" and len(rows) == 2
    assert rows[1][0] == case.number and f"赵六（{ID}）" in rows[1][-1]


@pytest.mark.django_db
def test_export_of_an_unreadable_filter_has_no_rows(client):
    """The export at the list's address reads its filters as the list does: a filter that
    cannot be read exports the header and no rows, never the whole register."""
    dept = OrganizationFactory()
    case = make_case(dept)
    client.force_login(case.officers.first())
    response = client.get(reverse("cases:list"), {"act_type": "penalty", "filed_from": "2026-02-30",
                                                   "export": "xlsx"})
    rows = _sheet(b"".join(response.streaming_content))
    assert rows == [rows[0]] and rows[0][0] == "案件编号"


@pytest.mark.django_db
def test_export_masks_ids_for_other_organisations():
    case = make_case(OrganizationFactory(), parties=[party_data(name="赵六", id_number=ID)])
    outsider = member(Role.OFFICER, OrganizationFactory())
    (row,) = list(case_export_rows(outsider, [case]))
    assert row[-1] == "赵六（1303**********1234）"


@pytest.mark.django_db
def test_export_needs_capability(client):
    client.force_login(member(Role.POLICE, OrganizationFactory()))
    assert client.get(reverse("cases:list"), {"export": "xlsx"}).status_code == 403


@pytest.mark.celery
def test_large_export_runs_in_background_with_progress(client, settings, celery_worker_real):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    dept = OrganizationFactory()
    numbers = {make_case(dept).number for _ in range(3)}
    user = supervisor()
    client.force_login(user)
    # A GET changes nothing: it offers the background export, which its POST starts.
    offer = client.get(reverse("cases:list"), {"export": "xlsx"})
    assert offer.status_code == 200 and not ExportJob.objects.exists()
    assert "共 <strong id=\"export-total\">3</strong> 行" in offer.content.decode()
    response = client.post(reverse("core:export_start"), {"kind": "cases"})
    job = ExportJob.objects.get(owner=user)
    assert response.url == reverse("core:export_job", args=[job.pk])
    assert "正在后台生成文件" in client.get(response.url).content.decode()
    status_url = reverse("core:export_job_status", args=[job.pk])
    deadline = time.monotonic() + 30
    while (status := client.get(status_url).json())["state"] != ExportState.DONE:
        assert status["state"] != ExportState.FAILED, status
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    assert status["percent"] == 100 and status["done"] == 3
    download = client.get(status["download_url"])
    rows = _sheet(b"".join(download.streaming_content))
    assert {r[0] for r in rows[1:]} == numbers
    # Only the owner reaches the job and its file.
    client.force_login(member(Role.SUPERVISOR, OrganizationFactory()))
    assert client.get(status_url).status_code == 404
    assert client.get(status["download_url"]).status_code == 404


@pytest.mark.django_db
def test_a_background_export_is_started_only_by_post_with_the_lists_filters(client, settings):
    """Issue 16: a GET never changes state — the large export's job is started by POST."""
    settings.EXPORT_SYNC_MAX_ROWS = 1
    dept = OrganizationFactory()
    for _ in range(3):
        make_case(dept)
    user = supervisor()
    client.force_login(user)
    offer = client.get(reverse("cases:list"), {"export": "xlsx", "department": dept.pk, "page": 2})
    html = offer.content.decode()
    assert f'name="department" value="{dept.pk}"' in html and 'name="page"' not in html
    assert not ExportJob.objects.exists()
    assert client.get(reverse("core:export_start")).status_code == 405
    client.post(reverse("core:export_start"), {"kind": "cases", "department": dept.pk})
    job = ExportJob.objects.get(owner=user)
    assert job.params == {"department": str(dept.pk)} and job.total == 3
    client.force_login(member(Role.POLICE, OrganizationFactory()))
    assert client.post(reverse("core:export_start"), {"kind": "cases"}).status_code == 403
    assert client.post(reverse("core:export_start"), {"kind": "no-such"}).status_code == 404
