"""Registering a patient and correcting their details: the only writers of a
patient's own record outside an import. Both are audited (who, when, why)."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr

from content.codes import Phase
from patients.models import Clinic, Patient
from rehab.plans import plan_assign_from_template

REGISTRATION_FIELDS = ("given_name", "family_name", "date_of_birth", "ref", "operated_side", "surgery_date",
                       "programme_start", "physio", "email")


def patient_register(*, clinic: Clinic, by, **fields) -> Patient:
    """A new patient in Normalise, with that phase's template as their plan."""
    with transaction.atomic():
        patient = Patient(clinic=clinic, phase=Phase.NORMALISE, **fields)
        patient.full_clean(validate_constraints=False)
        patient._history_user = by
        patient._change_reason = "Registered"
        with _ref_taken_as_error():
            patient.save(force_insert=True)
        plan_assign_from_template(patient=patient)
    return patient


def patient_update(*, patient: Patient, by, **fields) -> Patient:
    """Correct a patient's details or reassign their physio; the history keeps
    what they were. Compared with the row as stored (locked), not with the
    object a form may already have changed."""
    with transaction.atomic():
        current = Patient.objects.select_for_update().get(pk=patient.pk)
        changed = [name for name, value in fields.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, fields[name])
        current.full_clean(validate_constraints=False)
        current._history_user = by
        current._change_reason = "Reassigned" if changed == ["physio"] else "Details corrected"
        with _ref_taken_as_error():
            current.save(update_fields=[*changed, "updated_at"])
    return current


@contextmanager
def _ref_taken_as_error():
    """The form checked the reference was free, but another registration
    (two staff taking the same suggested "P-0043" at once) can take it between
    that check and this write: the unique constraint says so, as the form's
    own message on the reference, and nothing is written."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if getattr(error.__cause__, "diag", None) is None or \
                error.__cause__.diag.constraint_name != REF_UNIQUE_CONSTRAINT:
            raise
        raise ValidationError({"ref": Patient.unique_messages[("clinic", "ref")]}) from None


REF_UNIQUE_CONSTRAINT = "patient_unique_ref_per_clinic"


def next_patient_ref(clinic: Clinic) -> str:
    """A suggestion for a new patient's reference: one past the clinic's
    highest "P-0042"-style ref (the clinic may use its own scheme instead)."""
    highest = Patient.objects.filter(clinic=clinic, ref__regex=r"^P-[0-9]{1,9}$").aggregate(
        n=Max(Cast(Substr("ref", 3), IntegerField())))["n"] or 0
    return f"P-{highest + 1:04d}"
