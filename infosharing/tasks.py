from celery import shared_task


@shared_task
def annual_statistics_request() -> int | None:
    """M5.4: in January, ask every unit for the previous year's statistics (idempotent)."""
    from .services import statistics_annual_request

    request = statistics_annual_request()
    return request.pk if request else None
