"""Beat runs once even when two beat processes are started by mistake (issue 22 item 3):
two real ``celery beat`` processes on one Redis; the second stands by and takes over when
the first is killed."""
import datetime as dt
import re
import time

import pytest
import redis
from django.conf import settings

from core import processes
from core.beat import LOCK_KEY, FileLock

SENT = re.compile(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): INFO/MainProcess\] "
                  r"Scheduler: Sending due task deadlines-sweep")


def sends(process) -> list[dt.datetime]:
    return [dt.datetime.strptime(m, "%Y-%m-%d %H:%M:%S,%f") for m in SENT.findall(process.text())]


def sweep_messages(client) -> int:
    return sum(b'"task": "deadlines.tasks.sweep"' in m for m in client.lrange("celery", 0, -1))


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(LOCK_KEY, "celery")
    yield client
    client.delete(LOCK_KEY, "celery")  # no beat is left to send; no worker is to run these


@pytest.mark.celery
def test_second_beat_stands_by_and_takes_over_when_the_first_dies(broker, tmp_path):
    env = processes.environment(BEAT_LOCK_SECONDS="3", DEADLINE_SWEEP_SECONDS="1")
    first = processes.celery_beat("beat-1", env=env, log_dir=tmp_path)
    second = None
    try:
        first.wait_for("Sending due task deadlines-sweep")
        second = processes.celery_beat("beat-2", env=env, log_dir=tmp_path)
        second.wait_for("持有调度锁，本进程待命")
        time.sleep(4)  # longer than the lock's life: the first renews it, the second waits
        assert sends(second) == [] and len(sends(first)) >= 4
        first.kill()
        killed = dt.datetime.now()
        second.wait_for("已取得定时调度锁，本进程开始调度定时任务", timeout=20)
        second.wait_for("Sending due task deadlines-sweep", timeout=10)
        taken_over = sends(second)[0]
        # Took over within the lock's life (3 s) and a tick of the kill — and not before it.
        assert killed - dt.timedelta(seconds=1) < taken_over < killed + dt.timedelta(seconds=6)
        assert max(sends(first)) < taken_over
        time.sleep(2)
        second.stop()  # a clean stop releases the lock at once
        assert broker.get(LOCK_KEY) is None
        # Every message in the queue was sent by exactly one beat, one per tick.
        assert sweep_messages(broker) == len(sends(first)) + len(sends(second))
        ticks = sorted(sends(first) + sends(second))
        assert all(b - a > dt.timedelta(seconds=0.5) for a, b in zip(ticks, ticks[1:]))
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_file_lock_of_make_run_is_held_by_one_process_at_a_time(tmp_path):
    """Without Redis (make run's file broker) the lock is a flock: one holder; free once
    the holder's descriptor closes, as it does when the process dies."""
    first, second = FileLock(tmp_path / "celerybeat.lock"), FileLock(tmp_path / "celerybeat.lock")
    assert first.hold() and first.hold()
    assert not second.hold()
    first.release()
    assert second.hold() and not first.hold()
    second.release()
