"""`--format csv`: one row per score, for spreadsheets (INTERCHANGE.md).

A pain score fills the first seven columns as it always has; `measure` says
what the score is: `pain`, a performance test of a visit (`chair_stand_30s`,
`tug_s`) or a questionnaire's code (`koos_jr`, `psfs` ...; entry kind
`outcome`, with its raw sum in `raw` where it has one).
"""

import csv
import io
from collections.abc import Iterator

from content.codes import EntryKind
from content.measures import PERFORMANCE_TESTS, json_value
from interchange.exporter import CHUNK_SIZE, patient_records
from patients.models import Clinic

HEADER = ("clinic", "ref", "date", "entry_kind", "location", "context", "score", "measure", "raw")
OUTCOME = "outcome"
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Free text (a patient ref) that a spreadsheet shows as text, never runs
    (OWASP's advice for CSV injection: prefix a quote)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def iter_caseload_csv(clinic: Clinic, *, chunk_size=CHUNK_SIZE) -> Iterator[str]:
    """The CSV text, one patient's rows per piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for record in patient_records(clinic, chunk_size=chunk_size):
        ref = spreadsheet_safe(record.patient.ref)
        for entry in record.entries:
            day = entry.date.isoformat()
            for pain in entry.pain:
                writer.writerow((clinic.slug, ref, day, entry.kind, pain.location, pain.context, pain.score, "pain", ""))
            if entry.kind == EntryKind.VISIT:
                for code in PERFORMANCE_TESTS:
                    value = entry.measures.get(code)
                    if value is not None:
                        writer.writerow((clinic.slug, ref, day, entry.kind, "", "", json_value(value), code, ""))
        for outcome in record.outcomes:
            writer.writerow((clinic.slug, ref, outcome.date.isoformat(), OUTCOME, "", "", json_value(outcome.score),
                             outcome.instrument.code, "" if outcome.raw is None else outcome.raw))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
