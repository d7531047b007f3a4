"""Stop `make test` early, with a message, when PostgreSQL or Redis is not reachable."""
import os
import sys
from urllib.parse import urlparse

import psycopg2
import redis

db_url = os.environ["DATABASE_URL"]
redis_url = os.environ["REDIS_URL"]
problems = []
try:
    u = urlparse(db_url)
    psycopg2.connect(host=u.hostname, port=u.port or 5432, user=u.username,
                     password=u.password, dbname="postgres", connect_timeout=5).close()
except Exception as exc:  # noqa: BLE001 — any failure means "not reachable"
    problems.append(
        f"PostgreSQL 不可用（{db_url}）：{str(exc).strip()}\n"
        "  启动：pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
    )
try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
except Exception as exc:  # noqa: BLE001
    problems.append(
        f"Redis 不可用（{redis_url}）：{exc}\n"
        "  启动：redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" "
        "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
    )
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
