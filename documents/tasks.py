"""Thin Celery wrappers for the documents app."""
from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def orphan_files_prune() -> int:
    """PDFs of issues whose transaction rolled back (documents.services)."""
    return len(services.orphan_files_prune())
