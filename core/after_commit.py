"""Work queued for after a transaction commits, which never turns the committed action
into an error (issue 16 item 3).

Once the transaction has committed — a 文号 allocated, a deadline swept — the user's
action is done. If the broker is unreachable then, answering 500 "您的操作未完成"
would be untrue and invite a retry that issues a duplicate. So the queueing is logged,
never raised; what it would have done is repaired by beat (the e-mail outbox,
``deadlines.tasks.notifications_email_outbox``) or marked as failed (``on_failure``)."""
from __future__ import annotations

import logging
from typing import Any, Callable

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task, *args: Any, on_failure: Callable[[], None] | None = None) -> None:
    """``task.delay(*args)`` once the current transaction commits (at once outside one)."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            log.exception("could not queue %s%r after commit; the committed change stands",
                          task.name, args)
            if on_failure is not None:
                on_failure()

    # robust: any other error of the callback is logged too, never raised to the caller.
    transaction.on_commit(send, robust=True)
