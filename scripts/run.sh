#!/usr/bin/env bash
# `make run`: migrate, seed the demo district on first start, then serve Django, a Celery
# worker and beat together; Ctrl-C stops all three. On PostgreSQL the owner migrates and
# the three serve as the application's own role (scripts/database_roles.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
PY=.venv/bin/python
PORT="${PORT:-8000}"

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*|pgsql://*)
    # PostgreSQL: the owner migrates and sets up the application's role, which owns
    # nothing and is no superuser; the web server, the worker and beat connect as that
    # role (README, "PostgreSQL roles").
    eval "$($PY scripts/database_roles.py)"
    DATABASE_URL="$OWNER_URL" $PY scripts/ensure_database.py
    DATABASE_URL="$OWNER_URL" $PY manage.py migrate --noinput
    printf '%s\n' "$APP_PASSWORD" | DATABASE_URL="$OWNER_URL" $PY manage.py db_roles "$APP_ROLE" --password-stdin
    export DATABASE_URL="$APP_URL"
    DB_SHOWN="${APP_URL%%://*}://${APP_ROLE}@${APP_URL#*@}（应用程序角色 ${APP_ROLE}）"
    unset OWNER_URL APP_URL APP_PASSWORD DATABASE_OWNER_URL
    ;;
  *)
    $PY manage.py migrate --noinput
    DB_SHOWN="${DATABASE_URL:-SQLite（var/beidaihe.sqlite3）}"
    ;;
esac
$PY manage.py seed_demo --if-empty

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "正在停止……"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

mkdir -p var/log
.venv/bin/celery -A beidaihe_supervision worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A beidaihe_supervision beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)

sleep 1
cat <<MSG

北戴河区行政执法协调监督平台已启动：http://127.0.0.1:${PORT}
  数据库：${DB_SHOWN}    消息队列：${REDIS_URL:-内置文件队列（var/celery/）}
  Celery 日志：var/log/worker.log、var/log/beat.log
MSG
$PY manage.py seed_demo --list
echo "按 Ctrl-C 停止。"
wait -n "${pids[@]}"
