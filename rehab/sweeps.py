"""The periodic sweep: the same code the Celery beat schedule and
`manage.py run_sweeps` run.

It walks patients in batches (keyset pagination on the primary key) and
reconciles each batch with `patients_reconcile`, so the number of queries
grows with the number of batches, never with the number of patients.
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from content.codes import Phase
from patients.models import Clinic, Entry, Patient
from rehab.alerts import flags_notify_pending
from rehab.flags import (
    PATIENT_FIELDS,
    PatientFacts,
    ReconcileSummary,
    patients_reconcile,
)
from rehab.record import keyset_chunks

BATCH_SIZE = 500


def sweep_patients(clinic: Clinic):
    """Active patients, and anyone with an entry changed since its flags were
    last checked (a task lost while Redis was down)."""
    unchecked = Entry.objects.filter(patient=OuterRef("pk")).filter(
        Q(flags_checked_at__isnull=True) | Q(flags_checked_at__lt=F("updated_at"))
    )
    return Patient.objects.filter(clinic=clinic).filter(~Q(phase=Phase.DISCHARGED) | Exists(unchecked))


def sweep_run(*, clinic: Clinic | None = None, as_of: dt.date | None = None, dry_run=False,
              batch_size=BATCH_SIZE) -> ReconcileSummary:
    """Reconcile every swept patient of `clinic` (default: every clinic).

    Only a sweep at the clinic's today writes (DESIGN 4.4): at any other
    `as_of`, or with `dry_run`, it works out what it would raise and close and
    writes nothing, so a past evaluation never overwrites live flags or their
    acknowledgements.
    """
    clinics = [clinic] if clinic else list(Clinic.objects.order_by("pk"))
    summary = ReconcileSummary(raised={}, written=False)
    for each in clinics:
        day = as_of or each.today()
        read_only = dry_run or day != each.today()
        rows = sweep_patients(each).values(*PATIENT_FIELDS)
        for chunk in keyset_chunks(rows, key="id", size=batch_size):
            batch = [PatientFacts(**row) for row in chunk]
            summary.merge(patients_reconcile(batch, as_of_for=lambda _clinic_id, day=day: day, dry_run=read_only))
        summary.written = summary.written or not read_only
    if summary.written:
        summary.notified = flags_notify_pending()
    return summary
