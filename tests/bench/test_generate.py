"""The benchmark's generator (bench/generate.py) at a tiny size: its COPY rows
pass every database constraint and look like a caseload (the benchmark itself
runs with `make bench`, never in the test suite)."""

import random
from collections import Counter

import pytest

from bench import generate
from content.models import Phase
from patients.models import Entry, EntrySymptom, PainScore, Patient

pytestmark = pytest.mark.django_db


def test_clinic_sizes_give_one_clinic_a_fifth_and_share_the_rest():
    sizes = generate.clinic_sizes(100_000)
    assert len(sizes) == 20 and sum(sizes) == 100_000
    assert sizes[0] == 20_000 and set(sizes[1:]) == {4210, 4211}


def test_a_generated_clinic_has_the_programme_and_a_caseload_with_visits_and_pain():
    rng = random.Random(1)
    clinic, physios = generate.clinic_create("bench-tiny", "bench-tiny-admin", rng=rng)
    counts = generate.clinic_populate(clinic, physios, 300, today=clinic.today(), rng=rng, chunk=120)

    assert Phase.objects.filter(clinic=clinic).count() == 3  # the default programme, from the signal
    patients = Patient.objects.filter(clinic=clinic)
    assert patients.count() == counts["patient"] == 300
    phases = Counter(patients.values_list("phase", flat=True))
    assert set(phases) == {"normalise", "rebuild", "integrate", "discharged"}
    assert 0.2 < phases["discharged"] / 300 < 0.5
    entries = Entry.objects.filter(patient__clinic=clinic)
    assert entries.count() == counts["entry"] and 8 < counts["entry"] / 300 < 13
    assert entries.filter(kind=Entry.SELF_REPORT).exists()
    assert not entries.filter(date__gt=clinic.today()).exists()
    assert PainScore.objects.filter(entry__patient__clinic=clinic).count() == counts["pain"]
    assert 1.7 < counts["pain"] / counts["entry"] < 2.3
    assert EntrySymptom.objects.filter(entry__patient__clinic=clinic).count() == counts["symptom"]


def test_a_patient_with_a_given_number_of_visits_for_the_patient_page_comparison():
    rng = random.Random(2)
    clinic, physios = generate.clinic_create("bench-visits", "bench-visits-admin", rng=rng)
    generate.clinic_populate(clinic, physios, 1, today=clinic.today(), rng=rng, visits=200)
    patient = Patient.objects.get(clinic=clinic, ref="V200-0000")
    assert patient.is_active and patient.entries.filter(kind=Entry.VISIT).count() == 200
