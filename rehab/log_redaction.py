"""Keep patient portal tokens out of every log.

A portal URL (/p/<token>/...) is a bearer secret. Django's request logger
writes the path of a failing request, runserver and gunicorn write every
request line; all of them pass through `redact` first.
"""

import logging
import re

PORTAL_TOKEN = re.compile(r"(/p/)[^/\s\"?]+")


def redact(text: str) -> str:
    return PORTAL_TOKEN.sub(r"\1[redacted]", text)


class RedactPortalTokens(logging.Filter):
    """A logging filter for every handler: rewrites the record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
