"""The containers' health checks, runnable in the image (no curl there):

    python -m rehab.healthcheck web    # GET /healthz on this container's gunicorn
    python -m rehab.healthcheck beat   # beat's scheduler looped recently

Exit status 0 when healthy; otherwise one line on stderr saying why. The
worker's check is Celery's own (`celery inspect ping`, docker-compose.yml).
"""

import http.client
import json
import os
import sys
import time
from pathlib import Path


def _host() -> str:
    """A host name that passes ALLOWED_HOSTS, so Django answers instead of
    refusing the request with 400."""
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and "*" not in host:
            return host
    return "localhost"


def check_web() -> str | None:
    """GET /healthz straight from this container's gunicorn (http.client: no
    proxy from the environment is ever used)."""
    port = int(os.environ.get("PORT", "8000"))
    url = f"http://127.0.0.1:{port}/healthz"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz", headers={"Host": _host()})
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
    except OSError as error:
        return f"{url} did not answer: {error}"
    finally:
        connection.close()
    if response.status != 200 or json.loads(body).get("status") != "ok":
        return f"{url} answered {response.status}: {body[:200]}"
    return None


def check_beat() -> str | None:
    heartbeat = Path(os.environ.get("BEAT_HEARTBEAT_FILE", "/tmp/kinetic-beat-heartbeat"))  # noqa: S108
    limit = int(os.environ.get("BEAT_HEARTBEAT_MAX_AGE", "180"))
    try:
        age = time.time() - heartbeat.stat().st_mtime
    except FileNotFoundError:
        return f"beat has not looped yet (no {heartbeat})"
    if age > limit:
        return f"beat last looped {age:.0f} s ago (more than {limit} s)"
    return None


CHECKS = {"web": check_web, "beat": check_beat}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: python -m rehab.healthcheck {{{'|'.join(CHECKS)}}}", file=sys.stderr)
        return 2
    problem = CHECKS[argv[0]]()
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
