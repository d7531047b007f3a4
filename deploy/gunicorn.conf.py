"""gunicorn's configuration for the platform (`gunicorn -c deploy/gunicorn.conf.py`).

Read from the environment like the settings (the systemd unit's EnvironmentFile): a
malformed number stops start-up naming the variable. Behind nginx (deploy/nginx/) on the
same host, gunicorn listens on loopback only.
"""
import multiprocessing
import os

wsgi_app = "beidaihe_supervision.wsgi:application"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: expected a whole number") from None


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Sync workers: the platform's pages are short database work; a slow client is nginx's to
# buffer. Two per core and one more is gunicorn's rule of thumb.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# An export of up to EXPORT_SYNC_MAX_ROWS rows and a document rendered on issue take
# seconds, not minutes; a worker stuck longer is killed and replaced. nginx's
# proxy_read_timeout is set a little longer than this.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once), so a slow
# leak in a library never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The heartbeat file on a RAM disk: a worker blocked on a slow disk is not taken for dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Request limits before Django sees anything. The body's size is limited by nginx's
# client_max_body_size and by Django (REQUEST_MAX_BYTES, core.middleware).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Only the proxy on this host may say the request came over HTTPS (Django reads the
# header itself when DJANGO_BEHIND_PROXY=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The access log to stdout (the journal). The path only, never the query string, which
# may hold a search for a party's name or ID number; no referrer (another page's query
# string) and no user agent. The peer (nginx) and the client's address nginx appended.
accesslog = "-"
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket: its default path ($XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl) is one per user, shared by every gunicorn the user starts.
control_socket_disable = True
proc_name = "beidaihe-web"
