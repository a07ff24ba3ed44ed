"""The database itself rejects bad clinical rows, whatever path writes them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from patients.models import Entry, PainScore, Patient, User
from rehab.models import Flag
from tests.factories import (
    ClinicFactory,
    EntryFactory,
    EntrySymptomFactory,
    ExitCriterionFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhaseFactory,
    PhaseTransitionFactory,
    PortalLinkFactory,
    SelfReportFactory,
)

pytestmark = pytest.mark.django_db


def rejected(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


@pytest.mark.parametrize("score", [-1, 11])
def test_pain_score_outside_0_to_10_is_rejected(score):
    rejected(PainScoreFactory, score=score)


@pytest.mark.parametrize("score", [0, 10])
def test_pain_score_at_the_ends_of_the_scale_is_stored(score):
    assert PainScoreFactory(score=score).score == score


def test_pain_score_rejected_by_raw_sql_too(patient):
    entry = EntryFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        PainScore.objects.bulk_create([PainScore(entry=entry, location="knee", context="rest", score=11)])


def test_unknown_pain_location_is_rejected():
    rejected(PainScoreFactory, location="shoulder")


def test_unknown_pain_context_is_rejected():
    rejected(PainScoreFactory, context="morning")


def test_one_score_per_location_and_context_in_an_entry(patient):
    entry = EntryFactory(patient=patient)
    PainScoreFactory(entry=entry, location="knee", context="rest", score=2)
    rejected(PainScoreFactory, entry=entry, location="knee", context="rest", score=3)


def test_duplicate_ref_in_one_clinic_is_rejected(clinic):
    PatientFactory(clinic=clinic, ref="P-0007")
    rejected(PatientFactory, clinic=clinic, ref="P-0007")


def test_same_ref_in_two_clinics_is_allowed(clinic, other_clinic):
    PatientFactory(clinic=clinic, ref="P-0007")
    assert PatientFactory(clinic=other_clinic, ref="P-0007").ref == "P-0007"


def test_unknown_patient_phase_is_rejected():
    rejected(PatientFactory, phase="phase4")


def test_programme_cannot_start_before_surgery():
    rejected(PatientFactory, surgery_date=dt.date(2026, 6, 1), programme_start=dt.date(2026, 5, 31))


def test_blank_patient_ref_is_rejected():
    rejected(PatientFactory, ref="")


def test_unknown_symptom_code_is_rejected():
    rejected(EntrySymptomFactory, code="headache")


def test_symptom_is_ticked_once_per_entry(patient):
    entry = EntryFactory(patient=patient)
    EntrySymptomFactory(entry=entry, code="fever")
    rejected(EntrySymptomFactory, entry=entry, code="fever")


def test_self_report_cannot_carry_functional_measures(patient):
    rejected(SelfReportFactory, patient=patient, standing_tolerance_min=20)


def test_visit_carries_functional_measures(patient):
    entry = EntryFactory(patient=patient, standing_tolerance_min=20, gait_symmetric_video=True)
    assert Entry.objects.get(pk=entry.pk).measures == {"standing_tolerance_min": 20, "gait_symmetric_video": True}


def test_unknown_entry_kind_is_rejected(patient):
    rejected(EntryFactory, patient=patient, kind="phone_call")


def test_clinic_staff_must_have_a_role(clinic):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="norole", clinic=clinic, role="")


def test_boolean_criterion_must_be_yes_or_no(clinic):
    phase = clinic.phases.get(code="rebuild")
    phase.exit_criteria.filter(measure="glute_bridge_lumbar_substitution").delete()
    rejected(ExitCriterionFactory, phase=phase, measure="glute_bridge_lumbar_substitution", comparator=">=",
             threshold=0)


def test_pain_criterion_threshold_must_be_on_the_scale(clinic):
    phase = clinic.phases.get(code="normalise")
    phase.exit_criteria.filter(measure="activity_pain").delete()
    rejected(ExitCriterionFactory, phase=phase, measure="activity_pain", comparator="<=", threshold=11)


def test_phase_code_is_one_of_the_three(clinic):
    rejected(PhaseFactory, clinic=clinic, code="maintain")


def test_entry_flag_is_unique_per_patient_code_and_entry(patient):
    entry = EntryFactory(patient=patient)
    FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=entry)
    rejected(FlagFactory, patient=patient, code="dvt_signs", severity="same_day", entry=entry)


def test_only_one_open_progress_flag_per_patient_and_code(patient):
    FlagFactory(patient=patient, code="plateau_12w")
    rejected(FlagFactory, patient=patient, code="plateau_12w")


def test_a_closed_progress_flag_allows_a_new_one(patient):
    from django.utils import timezone

    FlagFactory(patient=patient, code="plateau_12w", closed_at=timezone.now())
    assert FlagFactory(patient=patient, code="plateau_12w").closed_at is None


def test_acknowledgement_needs_a_note(patient):
    from django.utils import timezone

    rejected(FlagFactory, patient=patient, acknowledged_at=timezone.now(), acknowledgement_note="")


def test_entry_flag_needs_its_entry_while_open(patient):
    rejected(FlagFactory, patient=patient, code="dvt_signs", severity="same_day", entry=None)


def test_transition_needs_a_reason(patient):
    rejected(PhaseTransitionFactory, patient=patient, reason="")


def test_transition_must_change_phase(patient):
    rejected(PhaseTransitionFactory, patient=patient, from_phase="rebuild", to_phase="rebuild")


def test_one_live_portal_link_per_patient(patient):
    PortalLinkFactory(patient=patient)
    rejected(PortalLinkFactory, patient=patient)


def test_patient_with_clinical_entries_cannot_be_deleted(patient):
    EntryFactory(patient=patient)
    with pytest.raises(Exception, match="protected"):
        Patient.objects.filter(pk=patient.pk).delete()
    assert Flag.objects.count() == 0
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_clinic_time_zone_must_exist():
    from django.core.exceptions import ValidationError

    clinic = ClinicFactory.build(slug="tz", name="TZ", time_zone="Mars/Olympus")
    with pytest.raises(ValidationError, match="not a known time zone"):
        clinic.full_clean()
