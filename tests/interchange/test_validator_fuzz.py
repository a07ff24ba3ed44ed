"""Whatever the JSON holds, the validator returns a report: no exception, no write."""

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interchange.decoding import CaseloadFileError, UnreadableNumber, caseload_file_parse
from interchange.importer import caseload_import, caseload_validate
from interchange.models import ImportJob
from interchange.schema import Error
from patients.models import Entry, Patient

from .conftest import caseload_doc, patient_doc

# Text PostgreSQL cannot store: NUL (a control character, Cc) and lone
# surrogates (Cs) among ordinary letters, digits and punctuation.
hostile_text = st.text(st.characters(categories=("L", "N", "P", "Cc", "Cs")), max_size=8)


class _HugeInt(int):
    """10**5000 as a document holds it; repr'd by name, since Python refuses
    to convert more than 4,300 digits (and so would Hypothesis' own report)."""

    def __repr__(self):
        return "10**5000" if self > 0 else "-10**5000"


HUGE = _HugeInt(10**5000)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 2000) | st.floats(allow_nan=False)
    | st.text(max_size=12) | hostile_text | st.just(HUGE) | st.just(_HugeInt(-HUGE))
    | st.sampled_from([UnreadableNumber("a number with 5,000 digits"), "\x00", "\ud800", "a\udfffb"])
    | st.sampled_from(["2026-06-08", "2026-13-01", "calf_swelling", "knee", "rest"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8) | hostile_text, children, max_size=4),
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


@pytest.mark.django_db
@settings_
@given(document=malformed_documents())
def test_errors_of_malformed_documents_can_be_stored_and_printed(physio, clinic_admin, document):
    result = caseload_validate(document)

    for error in result.errors:
        str(error).encode("utf-8")
    ImportJob.objects.create(clinic=physio.clinic, uploaded_by=clinic_admin, report=result.as_dict())


def _to_bytes(document, encoding):
    """The document as a file would hold it; a huge int is written out in
    digits, and NaN or infinity as JavaScript writes them (the reader must
    refuse them)."""
    def default(value):
        if isinstance(value, UnreadableNumber):
            return "UNREADABLE"
        raise TypeError

    text = json.dumps(document, default=default, allow_nan=True, cls=_HugeIntEncoder)
    return text.replace('"HUGE-INT"', "9" * 5000).replace('"-HUGE-INT"', "-" + "9" * 5000).encode(encoding)


class _HugeIntEncoder(json.JSONEncoder):
    def iterencode(self, o, _one_shot=False):
        return super().iterencode(_swap_huge(o), _one_shot)


def _swap_huge(value):
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**4000:
        return "HUGE-INT" if value > 0 else "-HUGE-INT"
    if isinstance(value, dict):
        return {k: _swap_huge(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap_huge(v) for v in value]
    return value


@pytest.mark.django_db
@settings_
@given(document=malformed_documents(), encoding=st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-be"]),
       dry_run=st.booleans())
def test_any_file_gives_a_file_message_or_a_report_and_writes_nothing_on_error(physio, document, encoding, dry_run):
    """The command line's path, end to end: bytes in, a message or a report out."""
    data = _to_bytes(document, encoding)
    patients, entries = Patient.objects.count(), Entry.objects.count()
    try:
        parsed = caseload_file_parse(data=data)
    except CaseloadFileError as error:
        assert str(error) and encoding.startswith("utf-16")
        return
    result = caseload_import(parsed, dry_run=dry_run)

    for error in result.errors:
        str(error).encode("utf-8")
    if result.errors or dry_run:
        assert not result.written
        assert (Patient.objects.count(), Entry.objects.count()) == (patients, entries)
