"""The periodic sweep: the same code the Celery beat schedule and
`manage.py run_sweeps` run.

It walks patients in batches (keyset pagination on the primary key) and
reconciles each batch with `patients_reconcile`, so the number of queries
grows with the number of batches, never with the number of patients.
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from content import codes
from patients.models import Clinic, Entry, Patient
from rehab.flags import ReconcileSummary, flags_notify_pending, patient_facts, patients_reconcile

BATCH_SIZE = 500


def sweep_patients(clinic: Clinic):
    """Active patients, and anyone with an entry changed since its flags were
    last checked (a task lost while Redis was down)."""
    unchecked = Entry.objects.filter(patient=OuterRef("pk")).filter(
        Q(flags_checked_at__isnull=True) | Q(flags_checked_at__lt=F("updated_at"))
    )
    return Patient.objects.filter(clinic=clinic).filter(~Q(phase=codes.DISCHARGED) | Exists(unchecked))


def sweep_run(*, clinic: Clinic | None = None, as_of: dt.date | None = None, batch_size=BATCH_SIZE):
    clinics = [clinic] if clinic else list(Clinic.objects.order_by("pk"))
    summary = ReconcileSummary(raised={})
    for each in clinics:
        day = as_of or each.today()
        queryset = sweep_patients(each).order_by("pk")
        last_id = None
        while True:
            page = queryset if last_id is None else queryset.filter(pk__gt=last_id)
            batch = patient_facts(page[:batch_size])
            if not batch:
                break
            summary.merge(patients_reconcile(batch, as_of_for=lambda _clinic_id, day=day: day))
            last_id = batch[-1].id
            if len(batch) < batch_size:
                break
    summary.notified = flags_notify_pending()
    return summary
