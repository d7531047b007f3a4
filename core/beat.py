"""Beat runs once, however many beat processes are started (issue 22 item 3).

``settings.CELERY_BEAT_SCHEDULER`` is :class:`LockedScheduler`: a beat process schedules
only while it holds the beat lock, checked at the start of every tick, so every task it
sends is sent under a lock held at that moment. A second beat — started by mistake on the
same or another host — logs that another process holds the lock and stands by, trying again
each tick; it takes over once the holder stops (at once, when it stops cleanly and releases
the lock) or dies (when the lock expires, ``BEAT_LOCK_SECONDS``).

The lock:

* with Redis (``REDIS_URL``, several hosts): ``SET key token NX PX ttl``, renewed at every
  tick (a tick comes at least every third of the lock's life, ``max_interval``) by a script
  that extends it only while the value is still this process's token, and released the same
  way — a beat whose lock expired while it was paused cannot renew or release its
  successor's;
* without Redis (``make run``'s file broker, one host): ``flock`` on ``var/celerybeat.lock``,
  released by the kernel when the process dies.

The schedule file (``celerybeat-schedule``) is opened only once the lock is held, and closed
when it is lost, so two beats on one host never open it together.
"""
from __future__ import annotations

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "beidaihe_supervision:beat-lock"

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLock:
    def __init__(self, url: str, seconds: float) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5)
        self.ttl_ms = int(seconds * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held = False
        self._renew = self.client.register_script(_RENEW)
        self._release = self.client.register_script(_RELEASE)

    def hold(self) -> bool:
        """Take the lock if it is free, extend it if it is ours; True while we hold it."""
        if self.held and self._renew(keys=[LOCK_KEY], args=[self.token, self.ttl_ms]):
            return True
        self.held = bool(self.client.set(LOCK_KEY, self.token, nx=True, px=self.ttl_ms))
        return self.held

    def holder(self) -> str:
        value = self.client.get(LOCK_KEY)
        return value.decode() if value else "未知"

    def release(self) -> None:
        if self.held:
            self._release(keys=[LOCK_KEY], args=[self.token])
            self.held = False


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def hold(self) -> bool:
        if self.fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{socket.gethostname()}:{os.getpid()}".encode())
        self.fd = fd
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text() or "未知"
        except OSError:
            return "未知"

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = None


def beat_lock():
    seconds = settings.BEAT_LOCK_SECONDS
    if settings.REDIS_URL:
        return RedisLock(settings.REDIS_URL, seconds)
    return FileLock(Path(settings.VAR_DIR) / "celerybeat.lock")


class LockedScheduler(PersistentScheduler):
    """The persistent scheduler, scheduling only while this process holds the beat lock."""

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        self._standing_by = False
        # A tick at least every third of the lock's life renews it in time.
        kwargs["max_interval"] = min(kwargs.get("max_interval") or 300,
                                     settings.BEAT_LOCK_SECONDS / 3)
        super().__init__(*args, **kwargs)

    def setup_schedule(self):
        if self._hold():
            super().setup_schedule()

    def _hold(self) -> bool:
        try:
            held = self.lock.hold()
        except Exception as exc:  # the lock's store unreachable: schedule nothing
            logger.warning("无法连接调度锁所在的消息队列（%s），本进程暂停调度定时任务。", exc)
            held = False
        if held and self._standing_by:
            logger.warning("已取得定时调度锁，本进程开始调度定时任务。")
        elif not held and not self._standing_by:
            holder = "未知"
            try:
                holder = self.lock.holder()
            except Exception:
                pass
            logger.warning("另一个定时调度（beat）进程（%s）持有调度锁，本进程待命，"
                           "每 %.0f 秒重试一次；该进程停止后由本进程接替。",
                           holder, self.max_interval)
        self._standing_by = not held
        return held

    def tick(self, *args, **kwargs):
        if not self._hold():
            if self._store is not None:  # lost the lock: let the new holder open the file
                self.sync()
                self._store.close()
                self._store = None
            self._heap = None
            return self.max_interval
        if self._store is None:
            super().setup_schedule()
            self._heap = None
        return min(super().tick(*args, **kwargs), self.max_interval)

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()

    @property
    def info(self):
        kind = "Redis" if settings.REDIS_URL else "文件"
        return f"{super().info}\n    . lock -> {kind} ({settings.BEAT_LOCK_SECONDS} s)"
