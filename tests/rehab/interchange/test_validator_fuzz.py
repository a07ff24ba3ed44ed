"""Whatever the JSON holds, the validator returns a report: no exception, no write."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patients.models import Entry, Patient
from rehab.interchange.importer import caseload_validate
from rehab.interchange.schema import Error

from .conftest import caseload_doc, patient_doc

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 2000) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["2026-06-08", "2026-13-01", "calf_swelling", "knee", "rest"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _paths(value, prefix=()):
    """Every place inside a document where a value could be swapped out."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


VALID = caseload_doc(patient_doc())
PATHS = [p for p in _paths(VALID) if p]


def _replace(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


@st.composite
def malformed_documents(draw):
    doc = caseload_doc(patient_doc())
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        with contextlib.suppress(KeyError, IndexError, TypeError):  # an earlier swap removed that place
            _replace(doc, path, draw(json_values))
    return doc


settings_ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@settings_
@given(document=malformed_documents())
def test_malformed_documents_give_a_clean_report(physio, document):
    result = caseload_validate(document)

    assert all(isinstance(e, Error) and e.path is not None and e.message for e in result.errors)
    assert not result.written
    assert Patient.objects.count() == 0 and Entry.objects.count() == 0


@pytest.mark.django_db
@settings_
@given(document=json_values)
def test_any_json_value_gives_a_clean_report(physio, document):
    result = caseload_validate(document)

    assert result.errors
    assert Patient.objects.count() == 0
