#!/usr/bin/env bash
# The test suite's PostgreSQL and Redis (DATABASE_URL_TEST, REDIS_URL_TEST):
# use them if they answer, start the local services (or `docker compose up -d
# db redis`) if they do not, and make sure the test role can sign in with its
# password (Debian's PostgreSQL asks for one over TCP: scram-sha-256). When
# something is missing, stop with one line saying what.
#   scripts/ensure_services.sh             make sure; leave them running (make services)
#   scripts/ensure_services.sh -- CMD ...  make sure, run CMD, then stop whatever
#                                          this script started (make test)
set -uo pipefail

db_url=${DATABASE_URL_TEST:-postgres://kinetic_test:kinetic_test@127.0.0.1:5432/kinetic}
redis_url=${REDIS_URL_TEST:-redis://127.0.0.1:6379/15}
py=${VENV_PYTHON:-.venv/bin/python}  # has psycopg (make install-dev)
started_clusters=()
started_redis=""

fail() { echo "$*" >&2; exit 1; }

read_url() {  # URL default-port -> "host port user password"
  "$py" - "$1" "$2" <<'PY'
import sys
from urllib.parse import unquote, urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or int(sys.argv[2]), unquote(u.username or "-"), unquote(u.password or "-"))
PY
}
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() {  # host port seconds
  for _ in $(seq 1 "$3"); do listening "$1" "$2" && return 0; sleep 1; done
  return 1
}
local_host() { [[ $1 == 127.* || $1 == localhost || $1 == ::1 ]]; }

read -r db_host db_port db_user db_password < <(read_url "$db_url" 5432)
read -r redis_host redis_port _ _ < <(read_url "$redis_url" 6379)

start_postgres() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    for version in $(ls /etc/postgresql); do
      if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
        pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 && started_clusters+=("$version")
      fi
    done
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker compose up -d db >/dev/null
  fi
}
start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
      --dir /tmp --logfile /tmp/kinetic-redis.log >/dev/null && started_redis=yes
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker compose up -d redis >/dev/null
  fi
}
stop_started() {
  if [ -n "$started_redis" ]; then
    redis-cli -h "$redis_host" -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  fi
  for version in "${started_clusters[@]}"; do
    pg_ctlcluster --skip-systemctl-redirect "$version" main stop >/dev/null 2>&1 || true
  done
}

sign_in_problem() {  # empty when the test role signs in (to the `postgres` database)
  "$py" - "$db_url" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
import psycopg
u = urlsplit(sys.argv[1])
try:
    psycopg.connect(urlunsplit(u._replace(path="/postgres")), connect_timeout=5).close()
except psycopg.OperationalError as error:
    print(str(error).strip().splitlines()[-1])
PY
}
foreign_test_database() {  # "name owner" when the test database exists and another role owns it
  "$py" - "$db_url" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
import psycopg
u = urlsplit(sys.argv[1])
name = "test_" + u.path.lstrip("/")
with psycopg.connect(urlunsplit(u._replace(path="/postgres")), connect_timeout=5) as conn:
    row = conn.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name]).fetchone()
    if row and row[0] != conn.info.user:
        print(name, row[0])
PY
}
as_postgres() {  # run psql as the postgres superuser through the local socket
  if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$db_port" -d postgres "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n -u postgres psql -X -q -v ON_ERROR_STOP=1 -p "$db_port" -d postgres "$@"
  else
    return 1
  fi
}
create_test_role() {
  # The test role signs in with its password and may create databases (the
  # test database, the backup round trip's copy).
  as_postgres -v role="$db_user" -v password="$db_password" >/dev/null 2>&1 <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN CREATEDB PASSWORD :'password';
SQL
}

if ! listening "$db_host" "$db_port"; then
  start_postgres
  wait_for "$db_host" "$db_port" 20 || {
    stop_started
    fail "PostgreSQL is not reachable at $db_host:$db_port: install it (apt-get install postgresql) or run 'docker compose up -d db', or set DATABASE_URL_TEST."; }
fi
problem=$(sign_in_problem)
if [ -n "$problem" ]; then
  if [ "$db_password" = "-" ] || ! local_host "$db_host" || ! create_test_role || [ -n "$(sign_in_problem)" ]; then
    stop_started
    fail "PostgreSQL at $db_host:$db_port refused $db_user ($problem): create the test role with: sudo -u postgres psql -c \"CREATE ROLE $db_user LOGIN CREATEDB PASSWORD '<password from DATABASE_URL_TEST>'\", or set DATABASE_URL_TEST."
  fi
  echo "Created the PostgreSQL role $db_user (password sign-in, CREATEDB) for the tests."
fi
# A test database left by earlier runs as another role (say postgres) cannot
# be recreated by the test role: hand it over, or say how.
read -r test_db test_db_owner < <(foreign_test_database)
if [ -n "${test_db:-}" ]; then
  if ! local_host "$db_host" || ! as_postgres -v db="$test_db" -v role="$db_user" >/dev/null 2>&1 <<'SQL'
ALTER DATABASE :"db" OWNER TO :"role";
SQL
  then
    stop_started
    fail "The test database $test_db belongs to $test_db_owner, so $db_user cannot recreate it: sudo -u postgres psql -c 'ALTER DATABASE $test_db OWNER TO $db_user' (or drop it)."
  fi
  echo "Handed the test database $test_db from $test_db_owner to $db_user."
fi
if ! listening "$redis_host" "$redis_port"; then
  start_redis
  wait_for "$redis_host" "$redis_port" 10 || {
    stop_started
    fail "Redis is not reachable at $redis_host:$redis_port: install it (apt-get install redis-server) or run 'docker compose up -d redis', or set REDIS_URL_TEST."; }
fi
echo "PostgreSQL at $db_host:$db_port (as $db_user) and Redis at $redis_host:$redis_port are up."

if [ "${1:-}" = "--" ]; then
  shift
  trap stop_started EXIT
  "$@"
  exit $?
fi
