"""Thin Celery wrappers for the shared pieces."""
from __future__ import annotations

from celery import shared_task

from . import exports, services


@shared_task
def export_run(job_id: int) -> None:
    exports.export_job_run(job_id)


@shared_task
def export_prune() -> int:
    return exports.export_jobs_prune()


@shared_task
def attachment_orphans_prune() -> int:
    """Files of uploads whose transaction rolled back (core.services.orphan_files_prune)."""
    return len(services.attachment_orphans_prune())


@shared_task
def tallies_rebuild() -> dict[str, int]:
    """Recount every tally from its source rows (core.tallies: a safety net, nightly)."""
    from . import tallies

    return tallies.rebuild_all()


@shared_task
def audit_seal() -> int:
    """Chain the audit events committed since the last run (core.audit_chain)."""
    from . import audit_chain

    return audit_chain.seal()


@shared_task
def audit_verify() -> int:
    """Verify the audit trail's hash chain; a break is recorded and reported to the
    administrators (core.services.audit_chain_check)."""
    return len(services.audit_chain_check())
