"""Portal tokens never reach a log line: Django's loggers, runserver, gunicorn."""

import importlib.util
import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "q8W3nA1xZyGd0Lk9PzR7sT2vBcE4fH6jM5uN0oI3aXw"


@pytest.mark.parametrize("logger_name", ["django.request", "django.server", "portal.views"])
def test_configured_handlers_redact_the_token_in_a_request_path(logger_name):
    logger = logging.getLogger(logger_name)
    record = logger.makeRecord(logger_name, logging.ERROR, __file__, 1, "Internal Server Error: %s",
                               (f"/p/{TOKEN}/report/",), None)
    handlers = [h for name in (logger_name, logger_name.split(".")[0])
                for h in logging.getLogger(name).handlers] or logging.getLogger().handlers
    assert handlers
    for handler in handlers:
        handler.filter(record)
    assert TOKEN not in record.getMessage()
    assert record.getMessage() == "Internal Server Error: /p/[redacted]/report/"


def test_a_traceback_mentioning_the_token_is_redacted():
    handler = logging.getLogger("django").handlers[0]
    try:
        raise ValueError(f"bad link /p/{TOKEN}/")
    except ValueError:
        record = logging.getLogger("django").makeRecord("django", logging.ERROR, __file__, 1, "boom", (),
                                                        sys.exc_info())
    handler.filter(record)
    assert TOKEN not in handler.format(record)


def test_gunicorn_access_log_redacts_the_token():
    import datetime as dt
    from types import SimpleNamespace

    from gunicorn.config import Config

    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)

    logger = gunicorn_conf.RedactingLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/p/{TOKEN}/", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": f"/p/{TOKEN}/", "HTTP_REFERER": "-"}
    atoms = logger.atoms(SimpleNamespace(status="200 OK", sent=10, headers=[]), [], environ,
                         dt.timedelta(seconds=0))
    assert TOKEN not in atoms["r"] and TOKEN not in atoms["U"]
    assert atoms["r"] == "GET /p/[redacted]/ HTTP/1.1"
