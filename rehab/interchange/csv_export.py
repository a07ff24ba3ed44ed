"""`--format csv`: one row per pain score, for spreadsheets (INTERCHANGE.md)."""

import csv
import io
from collections.abc import Iterator

from patients.models import Clinic
from rehab.interchange.exporter import CHUNK_SIZE, patient_records

HEADER = ("clinic", "ref", "date", "entry_kind", "location", "context", "score")


def iter_caseload_csv(clinic: Clinic, *, chunk_size=CHUNK_SIZE) -> Iterator[str]:
    """The CSV text, one patient's rows per piece."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for record in patient_records(clinic, chunk_size=chunk_size):
        for entry in record.entries:
            for pain in entry.pain:
                writer.writerow((clinic.slug, record.patient.ref, entry.date.isoformat(), entry.kind,
                                 pain.location, pain.context, pain.score))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
