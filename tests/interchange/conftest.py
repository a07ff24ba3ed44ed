import copy
import datetime as dt

import pytest
import time_machine

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today():
    """Entry dates are checked against the clinic's today: keep it fixed."""
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


PATIENT = {
    "ref": "P-0001",
    "given_name": "Mary",
    "family_name": "Lee",
    "date_of_birth": "1954-03-02",
    "physio": "jsmith",
    "surgery": {"procedure": "TKR", "side": "left", "date": "2026-06-01"},
    "programme_start": "2026-06-08",
    "phase": "normalise",
    "phase_history": [],
    "visits": [
        {
            "date": "2026-06-08",
            "pain": [
                {"location": "lumbar_bilateral", "context": "activity", "score": 6},
                {"location": "anterior_hip", "context": "rest", "score": 3},
            ],
            "measures": {"standing_tolerance_min": 10, "glute_bridge_lumbar_substitution": True},
            "symptoms": [],
            "notes": "First visit.",
        },
        {
            "date": "2026-06-15",
            "pain": [{"location": "lumbar_bilateral", "context": "activity", "score": 5}],
            "measures": {},
            "symptoms": [],
        },
    ],
    "self_reports": [
        {"date": "2026-06-10", "pain": [{"location": "lateral_hip", "context": "night", "score": 4}],
         "symptoms": []},
    ],
}


def patient_doc(ref="P-0001", **overrides):
    patient = copy.deepcopy(PATIENT)
    patient["ref"] = ref
    patient.update(overrides)
    return patient


def caseload_doc(*patients, clinic="riverside"):
    return {"format": "rehab-caseload/1", "clinic": clinic,
            "patients": [copy.deepcopy(p) for p in patients] or [patient_doc()]}
