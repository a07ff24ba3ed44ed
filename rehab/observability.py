"""Optional error reporting to Sentry (SENTRY_DSN, production settings).

Nothing identifying leaves: no user details or request bodies
(send_default_pii=False, request_bodies="never"), and portal tokens are
redacted from URLs and messages like in the logs.
"""

from rehab.log_redaction import redact


def _scrub(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event, hint=None):
    """Redact portal tokens anywhere in an event or breadcrumb."""
    return _scrub(event)


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_breadcrumb=scrub_event,
    )
