#!/usr/bin/env bash
# Make sure the test suite's PostgreSQL and Redis answer: use them if they do,
# start the local services (or `docker compose up -d db redis`) if they do not,
# and otherwise stop with one line saying exactly what is missing.
set -uo pipefail

db_url=${DATABASE_URL_TEST:-postgres://postgres@127.0.0.1:5432/kinetic}
redis_url=${REDIS_URL_TEST:-redis://127.0.0.1:6379/15}
py=${PYTHON:-.venv/bin/python}

hostport() {  # URL -> "host port"
  "$py" - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or int(sys.argv[2]))
PY
}
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

read -r db_host db_port < <(hostport "$db_url" 5432)
read -r redis_host redis_port < <(hostport "$redis_url" 6379)

start_postgres() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    done
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker compose up -d db >/dev/null
  fi
}
start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
      --dir /tmp --logfile /tmp/kinetic-redis.log >/dev/null
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker compose up -d redis >/dev/null
  fi
}
wait_for() {  # host port seconds
  for _ in $(seq 1 "$3"); do listening "$1" "$2" && return 0; sleep 1; done
  return 1
}

if ! listening "$db_host" "$db_port"; then
  start_postgres
  wait_for "$db_host" "$db_port" 20 || {
    echo "PostgreSQL is not reachable at $db_host:$db_port: install it (apt-get install postgresql) or run 'docker compose up -d db', or set DATABASE_URL_TEST."; exit 1; }
fi
if ! listening "$redis_host" "$redis_port"; then
  start_redis
  wait_for "$redis_host" "$redis_port" 10 || {
    echo "Redis is not reachable at $redis_host:$redis_port: install it (apt-get install redis-server) or run 'docker compose up -d redis', or set REDIS_URL_TEST."; exit 1; }
fi
echo "PostgreSQL at $db_host:$db_port and Redis at $redis_host:$redis_port are up."
