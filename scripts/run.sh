#!/usr/bin/env bash
# `make run`: migrate, seed the demo district on first start, then serve Django, a Celery
# worker and beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
PY=.venv/bin/python
PORT="${PORT:-8000}"

$PY manage.py migrate --noinput
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
  数据库：${DATABASE_URL:-SQLite（var/beidaihe.sqlite3）}    消息队列：${REDIS_URL:-内置文件队列（var/celery/）}
  Celery 日志：var/log/worker.log、var/log/beat.log
MSG
$PY manage.py seed_demo --list
echo "按 Ctrl-C 停止。"
wait -n "${pids[@]}"
