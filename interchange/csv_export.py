"""`--format csv`: one row per pain score, for spreadsheets (INTERCHANGE.md)."""

import csv
import io
from collections.abc import Iterator

from interchange.exporter import CHUNK_SIZE, patient_records
from patients.models import Clinic

HEADER = ("clinic", "ref", "date", "entry_kind", "location", "context", "score")
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
        for entry in record.entries:
            for pain in entry.pain:
                writer.writerow((clinic.slug, spreadsheet_safe(record.patient.ref), entry.date.isoformat(), entry.kind,
                                 pain.location, pain.context, pain.score))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
