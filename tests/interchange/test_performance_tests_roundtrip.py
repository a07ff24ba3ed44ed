"""The performance tests travel through JSON export and import: a TUG kept
to its tenth, a chair stand as a whole number (DESIGN §9, INTERCHANGE §3)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from interchange.exporter import iter_caseload_json
from interchange.importer import caseload_import
from interchange.specs import COMPUTED_FIELDS
from patients.models import Entry
from tests.factories import ClinicFactory, EntryFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_a_tug_time_and_a_chair_stand_round_trip_through_json(clinic):
    patient = PatientFactory(clinic=clinic, physio=None, ref="P-0001", surgery_date=dt.date(2026, 6, 1),
                             programme_start=dt.date(2026, 6, 8))
    EntryFactory(patient=patient, date=dt.date(2026, 6, 8), tug_s=Decimal("12.4"), chair_stand_30s=9)
    document = json.loads("".join(iter_caseload_json(clinic)))
    exported = document["patients"][0]
    assert exported["visits"][0]["measures"] == {"chair_stand_30s": 9, "tug_s": 12.4}
    ClinicFactory(slug="copy")
    patients = [{k: v for k, v in p.items() if k not in COMPUTED_FIELDS} for p in document["patients"]]
    result = caseload_import({**document, "clinic": "copy", "patients": patients})
    assert result.ok, result.errors[:3]
    copied = Entry.objects.get(patient__clinic__slug="copy")
    assert (copied.tug_s, copied.chair_stand_30s) == (Decimal("12.4"), 9)


@pytest.mark.parametrize(("value", "message"), [
    (12.45, "12.45 has more than 1 decimal place"),
    (1e30, "1e+30 is outside"),
    (-1e300, "-1e+300 is outside"),
])
def test_a_bad_tug_time_is_an_import_error_naming_the_field(clinic, value, message):
    patient = PatientFactory(clinic=clinic, physio=None, ref="P-0009", surgery_date=dt.date(2026, 6, 1),
                             programme_start=dt.date(2026, 6, 8))
    EntryFactory(patient=patient, date=dt.date(2026, 6, 8), tug_s=Decimal("12.4"))
    document = json.loads("".join(iter_caseload_json(clinic)))
    ClinicFactory(slug="copy")
    patients = [{k: v for k, v in p.items() if k not in COMPUTED_FIELDS} for p in document["patients"]]
    patients[0]["visits"][0]["measures"]["tug_s"] = value
    result = caseload_import({**document, "clinic": "copy", "patients": patients})
    assert not result.ok
    assert any("tug_s" in str(e) and message in str(e) for e in result.errors), result.errors
    assert not Entry.objects.filter(patient__clinic__slug="copy").exists()
