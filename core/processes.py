"""The platform's real processes — gunicorn, Celery workers, beat — started against one
database and one Redis, for the multi-process tests (core/tests/test_multiprocess.py,
test_beat_lock.py) and the load benchmark (core/bench_load.py, ``make bench ARGS=load``).

Each process writes its output to its own log file; ``Process.stop`` ends it by its own id
(SIGTERM, then SIGKILL), never by name: other programs on the host run the same commands.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
GUNICORN_CONF = BASE_DIR / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database this process is connected to (under pytest: the test
    database, whose committed rows the other processes read)."""
    d = connection.settings_dict
    auth = d["USER"] + (f":{d['PASSWORD']}" if d["PASSWORD"] else "")
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "PYTHONUNBUFFERED": "1"}
    env.update(extra)
    return env


class Process:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        self._out = open(self.log, "wb")
        self.popen = subprocess.Popen(args, env=env, cwd=BASE_DIR, stdout=self._out,
                                      stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} 已退出：\n{self.text()[-3000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} 在 {timeout} 秒内未输出“{needle}”：\n{self.text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no cleanup of any kind."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            # The process group: gunicorn's and prefork's children go with their parent.
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
        else:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)  # children left behind
            except ProcessLookupError:
                pass
        self._out.close()


def gunicorn(name: str, *, port: int, workers: int, env: dict, log_dir: Path) -> Process:
    args = [str(BIN / "gunicorn")]
    if GUNICORN_CONF.exists():
        args += ["-c", str(GUNICORN_CONF)]
    # The command line wins over the configuration file: this host's port and worker count.
    args += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
             "--access-logfile", "-", "--error-logfile", "-",
             "beidaihe_supervision.wsgi:application"]
    return Process(name, args, env, log_dir)


def celery_worker(name: str, *, env: dict, log_dir: Path) -> Process:
    """A worker whose one process runs the tasks (solo pool): killing it kills the task."""
    return Process(name, [str(BIN / "celery"), "-A", "beidaihe_supervision", "worker",
                          "--pool=solo", "--loglevel=INFO", f"--hostname={name}@%h",
                          "--without-mingle", "--without-gossip"],
                   {**env, "PGAPPNAME": name}, log_dir)


def celery_beat(name: str, *, env: dict, log_dir: Path) -> Process:
    return Process(name, [str(BIN / "celery"), "-A", "beidaihe_supervision", "beat",
                          "--loglevel=INFO", f"--schedule={Path(log_dir) / (name + '-schedule')}"],
                   env, log_dir)


def wait_http(url: str, timeout: float = 60, process: Process | None = None) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        if process is not None and process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} 已退出：\n{process.text()[-3000:]}")
        time.sleep(0.3)
    raise TimeoutError(f"{url} 在 {timeout} 秒内无应答")
