"""gunicorn settings (read from the working directory by `gunicorn`).

PORT (default 8000) and WEB_CONCURRENCY (default 3) come from the
environment; LOG_FORMAT=json (the image's default) writes the access and
error logs as one JSON object a line, like Django's and Celery's.
"""

import json
import os
from datetime import UTC, datetime

from gunicorn.glogging import Logger

from rehab.log_format import JsonFormatter
from rehab.log_redaction import redact

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
JSON_LOGS = os.environ.get("LOG_FORMAT", "text") == "json"


class RedactingLogger(Logger):
    """Access log lines without patient portal tokens."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms

    def setup(self, cfg):
        super().setup(cfg)
        if JSON_LOGS:
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not JSON_LOGS:
            return super().access(resp, req, environ, request_time)
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict or self.cfg.syslog):
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.now(tz=UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": atoms["h"],
            "forwarded_for": atoms.get("{x-forwarded-for}i", "-"),
            "user_agent": atoms["a"],
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))


logger_class = RedactingLogger
