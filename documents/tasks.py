"""Thin Celery wrappers for the documents app."""
from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def orphan_files_prune() -> int:
    deleted = services.orphan_files_prune()
    if deleted:
        logger.warning("removed %d PDF files no document names: %s", len(deleted), ", ".join(deleted))
    return len(deleted)
