"""Thin Celery wrappers for the shared pieces."""
from __future__ import annotations

from celery import shared_task

from . import exports


@shared_task
def export_run(job_id: int) -> None:
    exports.export_job_run(job_id)


@shared_task
def export_prune() -> int:
    return exports.export_jobs_prune()
