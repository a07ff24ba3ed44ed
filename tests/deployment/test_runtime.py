"""The commands the deployment files name, run for real against production
settings, the test PostgreSQL and the test Redis: the image's CMD (gunicorn)
with the web health check, the worker and beat with theirs, Caddy in front
of gunicorn, and a backup restored into a fresh database."""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.deployment.support import (
    HOST,
    ROOT,
    compose,
    dockerfile,
    free_port,
    image_command,
    image_env,
    local_path_env,
    service_environment,
)

pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name=None) -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{name or db['NAME']}")


def production_env(service: str, **overrides) -> dict[str, str]:
    """The service's environment from docker-compose.yml (image ENV, .env,
    `environment`), pointed at this machine's test PostgreSQL and Redis."""
    env = {**os.environ, **service_environment(compose()["services"][service]), **local_path_env(),
           "DATABASE_URL": database_url(), "REDIS_URL": settings.CELERY_BROKER_URL, **STATIC, **overrides}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


@contextlib.contextmanager
def running(argv, env, log):
    with log.open("w") as output:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(check, *, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.\n{log.read_text()[-3000:] if log else ''}")


def run_healthcheck(service: str, env) -> subprocess.CompletedProcess:
    """The service's health check command from docker-compose.yml, exactly:
    CMD runs argv, CMD-SHELL runs the string with /bin/sh -c, as Docker does."""
    test = compose()["services"][service]["healthcheck"]["test"]
    argv = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def get(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def json_lines(log):
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


# --- web: the image's CMD and the web health check ------------------------------

STATIC = {}


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """The Dockerfile's collectstatic step, run as written (production's
    static storage needs its manifest), into a STATIC_ROOT of its own."""
    STATIC["STATIC_ROOT"] = str(tmp_path_factory.mktemp("staticfiles"))
    runs = [item["value"] for item in dockerfile().structure
            if item["instruction"] == "RUN" and "collectstatic" in item["value"]]
    env = {**os.environ, **image_env(), **local_path_env(), **STATIC}
    result = subprocess.run(["/bin/sh", "-c", runs[0]], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (Path(STATIC["STATIC_ROOT"]) / "staticfiles.json").exists()


def test_the_image_command_serves_production_and_the_web_health_check_passes(tmp_path):
    port = free_port()
    env = production_env("web", PORT=str(port), WEB_CONCURRENCY="2")
    log = tmp_path / "gunicorn.log"
    with running(image_command(), env, log) as gunicorn:
        result = wait_until(lambda: (check := run_healthcheck("web", env)).returncode == 0 and check,
                            timeout=60, what="the web health check to pass", log=log)
        assert result.stderr == ""
        assert gunicorn.poll() is None

        status, body = get(port, "/healthz", {"Host": HOST})
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok", "broker": "ok"})
        # Why the check sends the real host name: any other is refused.
        assert get(port, "/healthz", {"Host": "127.0.0.1"})[0] == 400
        # Production settings: plain HTTP pages redirect to HTTPS; through the
        # proxy (X-Forwarded-Proto: https) they are served.
        assert get(port, "/login/", {"Host": HOST})[0] == 301
        assert get(port, "/login/", {"Host": HOST, "X-Forwarded-Proto": "https"})[0] == 200

    access = [line for line in json_lines(log) if line.get("logger") == "gunicorn.access"]
    assert {"path": "/healthz", "status": 200} in [{"path": a["path"], "status": a["status"]} for a in access]
    assert any(line.get("logger") == "gunicorn.error" for line in json_lines(log)), "error log is JSON too"


@pytest.mark.parametrize("down", ["database", "broker"])
def test_the_web_health_check_fails_and_says_which_service_is_down(down, tmp_path):
    port = free_port()
    dead = {"database": {"DATABASE_URL": "postgres://kinetic:s3cr3tR4nd0m@127.0.0.1:1/kinetic"},
            "broker": {"REDIS_URL": "redis://127.0.0.1:1/0"}}[down]
    env = production_env("web", PORT=str(port), WEB_CONCURRENCY="1", **dead)
    log = tmp_path / "gunicorn.log"
    with running(image_command(), env, log):
        wait_until(lambda: _listening(port), timeout=60, what="gunicorn to listen", log=log)
        started = time.monotonic()
        result = run_healthcheck("web", env)
        assert time.monotonic() - started < 12, "a dead service fails the check quickly"
    assert result.returncode == 1
    assert result.stderr.startswith("unhealthy: ")
    body = json.loads(result.stderr.split("answered 503: ")[1])
    assert body[down] == "down"
    assert body["database" if down == "broker" else "broker"] == "ok"


def _listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- worker and beat ---------------------------------------------------------------

def test_the_worker_answers_its_health_check_with_json_logs(tmp_path):
    env = production_env("worker", HOSTNAME=socket.gethostname())
    log = tmp_path / "worker.log"
    with running(compose()["services"]["worker"]["command"], env, log):
        wait_until(lambda: any("ready" in line.get("message", "") for line in json_lines(log)),
                   timeout=60, what="the worker to be ready", log=log)
        result = run_healthcheck("worker", env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "pong" in result.stdout
    assert all(line["level"] for line in json_lines(log)), "the worker's log lines are JSON objects"
    stopped = run_healthcheck("worker", env)
    assert stopped.returncode != 0, "no worker, no pong"


def test_beat_answers_its_health_check_while_it_loops(tmp_path):
    heartbeat = tmp_path / "beat-heartbeat"
    command = [str(tmp_path / "schedule") if part == "/tmp/celerybeat-schedule" else part  # noqa: S108
               for part in compose()["services"]["beat"]["command"]]
    env = production_env("beat", BEAT_HEARTBEAT_FILE=str(heartbeat))
    log = tmp_path / "beat.log"
    assert run_healthcheck("beat", env).returncode == 1, "no heartbeat yet"
    with running(command, env, log):
        wait_until(lambda: run_healthcheck("beat", env).returncode == 0, timeout=60,
                   what="beat's health check to pass", log=log)
    old = time.time() - 600
    os.utime(heartbeat, (old, old))
    stale = run_healthcheck("beat", env)
    assert stale.returncode == 1
    assert "beat last looped" in stale.stderr


# --- Caddy in front of gunicorn -------------------------------------------------------

def test_behind_caddy_a_forged_forwarded_for_is_replaced_by_the_real_address(tmp_path):
    if not shutil.which("caddy"):
        if os.environ.get("CI"):
            pytest.fail("caddy is not installed (apt-get install caddy); CI needs it")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    web_port, proxy_port, admin_port = free_port(), free_port(), free_port()
    env = production_env("web", PORT=str(web_port), WEB_CONCURRENCY="1", ALLOWED_HOSTS="127.0.0.1")
    caddy_env = {**os.environ, "KINETIC_HOST": f"http://127.0.0.1:{proxy_port}",
                 "KINETIC_UPSTREAM": f"127.0.0.1:{web_port}", "CADDY_ADMIN": f"127.0.0.1:{admin_port}",
                 "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    web_log, proxy_log = tmp_path / "gunicorn.log", tmp_path / "caddy.log"
    with running(image_command(), env, web_log), \
            running(["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
                    caddy_env, proxy_log):
        def through_proxy():  # 200 once both are up (Caddy answers 502 until gunicorn is)
            try:
                status = get(proxy_port, "/healthz", {"Host": f"127.0.0.1:{proxy_port}",
                                                      "X-Forwarded-For": "203.0.113.9"})[0]
            except OSError:
                return None
            return status if status == 200 else None

        assert wait_until(through_proxy, timeout=60, what="the site through Caddy", log=proxy_log) == 200
    access = [line for line in json_lines(web_log) if line.get("logger") == "gunicorn.access"]
    assert access and access[-1]["path"] == "/healthz"
    # TRUSTED_PROXY_HOPS=1 takes the last entry: Caddy's view of the client.
    assert access[-1]["forwarded_for"] == "127.0.0.1"


# --- backups ---------------------------------------------------------------------------

def _tools():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing {missing} (apt-get install postgresql-client)")
        pytest.skip(f"missing {missing}")


def _row_counts(url):
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def test_a_backup_restores_into_a_fresh_database_with_identical_row_counts(tmp_path):
    _tools()
    call_command("seed_demo", verbosity=0)
    backups = tmp_path / "backups"
    backups.mkdir()
    for old in ("kinetic-20200101T000000Z", "kinetic-20200102T000000Z"):
        (backups / f"{old}.dump").write_bytes(b"an older dump")
        (backups / f"{old}.media.tar.gz").write_bytes(b"its uploaded files")
    media = tmp_path / "media"
    (media / "exercises").mkdir(parents=True)
    (media / "exercises" / "bridge.webp").write_bytes(b"a picture of the glute bridge")
    script = ["sh", str(ROOT / "scripts" / "backup.sh")]
    env = {**os.environ, "DATABASE_URL": database_url(), "BACKUP_DIR": str(backups), "BACKUP_KEEP": "2",
           "MEDIA_DIR": str(media)}

    dumped = subprocess.run([*script, "once"], env=env, capture_output=True, text=True, timeout=300)
    assert dumped.returncode == 0, dumped.stderr
    listed = subprocess.run([*script, "list"], env=env, capture_output=True, text=True, timeout=60).stdout.split()
    assert len(listed) == 2 and listed[1] == "kinetic-20200102T000000Z.dump", "the newest 2 are kept"
    # Each kept dump keeps its uploaded files; the oldest went with its dump.
    assert sorted(path.name for path in backups.iterdir()) == sorted(
        [*listed, *(name.replace(".dump", ".media.tar.gz") for name in listed)])
    assert subprocess.run([*script, "check"], env=env, capture_output=True, timeout=60).returncode == 0

    fresh = f"{connection.settings_dict['NAME']}_restored"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    # The files are restored as they were: a picture uploaded since is gone.
    (media / "uploaded-after-the-backup.webp").write_bytes(b"newer")
    (media / "exercises" / "bridge.webp").write_bytes(b"changed since")
    try:
        restored = subprocess.run([*script, "restore", listed[0]], env={**env, "DATABASE_URL": database_url(fresh)},
                                  capture_output=True, text=True, timeout=300)
        assert restored.returncode == 0, restored.stderr
        source, copy = _row_counts(database_url()), _row_counts(database_url(fresh))
        assert copy == source
        assert source["patients_patient"] > 0 and source["patients_entry"] > 0
        assert sorted(str(path.relative_to(media)) for path in media.rglob("*")) == [
            "exercises", "exercises/bridge.webp"]
        assert (media / "exercises" / "bridge.webp").read_bytes() == b"a picture of the glute bridge"

        # Restoring again over a database that already has data replaces it.
        again = subprocess.run([*script, "restore", listed[0]], env={**env, "DATABASE_URL": database_url(fresh)},
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert _row_counts(database_url(fresh)) == source
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_with_a_read_replica_configured_the_export_command_reads_from_it(tmp_path):
    """DATABASE_REPLICA_URL sends the export's reads to the replica (docs/scaling.md):
    pointed at this database, the file is the same as without one; pointed at a
    database that is not there, the export says it could not read the replica,
    which it would not if it still read the primary."""
    call_command("seed_demo", verbosity=0)
    argv = [sys.executable, "manage.py", "export_caseload", "--clinic", "demo", "--format", "csv",
            "--as-of", "2026-11-01"]
    env = production_env("web")
    plain = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.count("\n") > 10
    replica = subprocess.run(argv, cwd=ROOT, env={**env, "DATABASE_REPLICA_URL": database_url()},
                             capture_output=True, text=True, timeout=120)
    assert replica.returncode == 0, replica.stderr
    assert replica.stdout == plain.stdout
    missing = subprocess.run(argv, cwd=ROOT, env={**env, "DATABASE_REPLICA_URL": database_url("no_such_replica")},
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0
    assert "Could not read the caseload from the read replica (DATABASE_REPLICA_URL)" in missing.stderr
    assert "no_such_replica" in missing.stderr and "Traceback" not in missing.stderr
