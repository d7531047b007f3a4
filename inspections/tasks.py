from celery import shared_task


@shared_task
def leads_compute() -> dict:
    """Nightly (beat): the M7.3 monitoring rules, set-based."""
    from .services import leads_compute as compute

    return compute()
