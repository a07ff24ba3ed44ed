"""gunicorn settings (read from the working directory by `gunicorn`)."""

from gunicorn.glogging import Logger

from rehab.log_redaction import redact

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"


class RedactingLogger(Logger):
    """Access log lines without patient portal tokens."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
