"""`make test` on a fresh Debian machine: scripts/ensure_services.sh against a
throwaway PostgreSQL cluster with Debian's default authentication (peer on
the socket, scram-sha-256 over TCP), and the services it starts are stopped
again. Needs root (to act as the postgres user) and PostgreSQL's server
binaries; CI has both."""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import psycopg
import pytest

from tests.deployment.support import ROOT, free_port

ENSURE = [str(ROOT / "scripts" / "ensure_services.sh")]


def _require(condition, reason):
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def scram_cluster():
    """A PostgreSQL cluster of its own on a free port, authenticating as a new
    Debian install does; the machine's own cluster is not touched."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    _require(os.geteuid() == 0 and shutil.which("runuser"), "needs root to act as the postgres user")
    _require(binaries, "needs PostgreSQL's server binaries (apt-get install postgresql)")
    _require(os.path.isdir("/var/run/postgresql"), "needs /var/run/postgresql")
    bin_dir = os.path.dirname(binaries[-1])
    data = tempfile.mkdtemp(prefix="kinetic-scram-")
    shutil.chown(data, "postgres", "postgres")
    port = free_port()

    def as_postgres(*argv):
        return subprocess.run(["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True,
                              timeout=120, cwd="/tmp")  # noqa: S108

    init = as_postgres(f"{bin_dir}/initdb", "-D", f"{data}/db", "-U", "postgres",
                       "--auth-local=peer", "--auth-host=scram-sha-256")
    assert init.returncode == 0, init.stderr
    start = as_postgres(f"{bin_dir}/pg_ctl", "-D", f"{data}/db", "-l", f"{data}/log", "-w", "-o",
                        f"-p {port} -k /var/run/postgresql -c listen_addresses=127.0.0.1", "start")
    assert start.returncode == 0, start.stderr + start.stdout
    try:
        yield port
    finally:
        as_postgres(f"{bin_dir}/pg_ctl", "-D", f"{data}/db", "-m", "immediate", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


def _ensure(db_url, redis_url, *command):
    env = {**os.environ, "DATABASE_URL_TEST": db_url, "REDIS_URL_TEST": redis_url, "VENV_PYTHON": sys.executable}
    return subprocess.run([*ENSURE, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_test_role_is_created_on_a_scram_sha_256_postgresql(scram_cluster, settings):
    url = f"postgres://kinetic_test:kinetic_test@127.0.0.1:{scram_cluster}/kinetic"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"postgres://kinetic_test:kinetic_test@127.0.0.1:{scram_cluster}/postgres", connect_timeout=5)

    # A test database left by an earlier run as the postgres user.
    left = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-p", str(scram_cluster),
                           "-d", "postgres", "-c", "CREATE DATABASE test_kinetic"],
                          capture_output=True, text=True, timeout=60, cwd="/tmp")  # noqa: S108
    assert left.returncode == 0, left.stderr

    result = _ensure(url, settings.CELERY_BROKER_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created the PostgreSQL role kinetic_test" in result.stdout
    assert "Handed the test database test_kinetic from postgres to kinetic_test" in result.stdout

    with psycopg.connect(f"postgres://kinetic_test:kinetic_test@127.0.0.1:{scram_cluster}/postgres") as conn:
        assert conn.execute("SHOW password_encryption").fetchone()[0] == "scram-sha-256"
        assert conn.execute("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        owner = conn.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'test_kinetic'")
        assert owner.fetchone()[0] == "kinetic_test", "the test role can drop and recreate its test database"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"postgres://kinetic:wrong@127.0.0.1:{scram_cluster}/postgres", connect_timeout=5)

    again = _ensure(url, settings.CELERY_BROKER_URL)
    assert again.returncode == 0 and "Created" not in again.stdout, "a second run finds the role working"


def test_a_url_without_a_password_fails_with_one_line_saying_what_to_do(scram_cluster, settings):
    result = _ensure(f"postgres://someone@127.0.0.1:{scram_cluster}/kinetic", settings.CELERY_BROKER_URL)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "refused someone" in result.stderr and "CREATE ROLE someone" in result.stderr


def test_a_redis_the_tests_started_is_stopped_afterwards(settings):
    _require(shutil.which("redis-server"), "needs redis-server")
    port = free_port()
    db = connection_url()
    result = _ensure(db, f"redis://127.0.0.1:{port}/0", "--", "redis-cli", "-p", str(port), "ping")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PONG" in result.stdout
    time.sleep(0.5)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the redis-server it started is still running"

    failing = _ensure(db, f"redis://127.0.0.1:{port}/0", "--", "false")
    assert failing.returncode == 1, "the command's exit status is the script's"


def connection_url():
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
