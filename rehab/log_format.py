"""One JSON object a line, for a log collector (LOG_FORMAT=json).

Used by Django's handlers, the Celery worker and beat (through Django's
logging configuration) and gunicorn's error and access logs
(gunicorn.conf.py). The portal-token redaction filter runs before this
formatter, so the message and traceback here are already redacted.
"""

import json
import logging
from datetime import UTC, datetime

# LogRecord attributes that are not extra fields a caller passed.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "server_time"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
