import datetime as dt

import pytest

from rehab.entries import entry_create


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    """record(patient, date, pain=[...], symptoms=[...], kind="visit", **measures) -> Entry,
    with the engine's on-commit task run, as in production."""

    def make(patient, date, *, pain=(), symptoms=(), kind="visit", **measures):
        with django_capture_on_commit_callbacks(execute=True):
            return entry_create(patient=patient, kind=kind, date=date, pain=pain, symptoms=symptoms,
                                measures=measures or None)

    return make


@pytest.fixture
def day():
    """day(n) -> the date n days after the default patient's programme start."""
    from tests.factories import SURGERY

    start = SURGERY + dt.timedelta(days=7)
    return lambda n: start + dt.timedelta(days=n)
