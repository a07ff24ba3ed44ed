#!/usr/bin/env bash
# Walk the README's quick start on the embedded SQLite default: migrate, seed
# the demo clinic, serve, fetch the login page, log in as the printed physio,
# and fetch the caseload. Uses a throwaway copy of the tree's database file.
# With a deployment .env beside it (`cp .env.example .env`, the README's first
# deploy step; made here when there is none) the quick start must not change.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-8765}
workdir=$(mktemp -d)
log="$workdir/server.log"
export DATABASE_URL="sqlite:///$workdir/quickstart.sqlite3"
unset REDIS_URL || true
made_env=""
if [ ! -e .env ]; then
  cp .env.example .env
  made_env=yes
fi

setsid make run PORT="$port" >"$log" 2>&1 &
server=$!
# setsid puts make and runserver's reloader in their own process group.
trap 'kill -- -$server 2>/dev/null || true; rm -rf "$workdir"; [ -z "$made_env" ] || rm -f .env' EXIT

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/login/" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$log"; echo "make run exited early"; exit 1; }
  sleep 1
done
grep -q "jsmith" "$log" || { cat "$log"; echo "make run did not print the demo logins"; exit 1; }

.venv/bin/python - "$port" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(base + "/login/").read().decode()
assert "Log in" in page, "login page did not render"
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode({"username": "jsmith", "password": "kinetic-demo", "csrfmiddlewaretoken": token})
request = urllib.request.Request(base + "/login/", data=form.encode(), headers={"Referer": base + "/login/"})
caseload = opener.open(request).read().decode()
assert "Caseload" in caseload and "Riverside Physiotherapy (demo)" in caseload, "logged-in caseload did not render"
assert "P-00" in caseload, "the caseload shows no demo patients"
print("Quick start OK: login page, demo login and caseload served from SQLite, with a deployment .env present.")
PY

# The engine writes its flags' audit rows in SQL of its own (rehab/flags.py):
# on SQLite too, every demo flag has its "raised" row.
.venv/bin/python - "$workdir/quickstart.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
flags = db.execute("SELECT count(*) FROM rehab_flag").fetchone()[0]
raised = db.execute("SELECT count(DISTINCT id) FROM rehab_historicalflag WHERE history_type = '+'").fetchone()[0]
assert flags and raised == flags, f"{flags} demo flags but {raised} 'raised' audit rows"
print(f"Audit OK: each of the {flags} demo flags has its 'raised' history row on SQLite.")
PY
