"""The stable vocabulary of Kinetic (DESIGN.md section 3): phases, where and
when pain is, the red-flag symptoms, entry kinds, sides and comparators.

Codes appear in imports, exports, the database and the API, so they never
change; labels and wording may. Each kind of thing is written once, here or
beside it in this package, and everything else derives from it: model and
form choices, the database's CHECK constraints, the import schema, the FHIR
export, templates and the admin.

- this module: phases, pain locations and contexts, red-flag symptoms (with
  the question a patient answers), entry kinds, sides, comparators;
- `content.measures`: the functional measures and exit-criterion measures,
  with their unit and limits;
- `content.flag_kinds`: the flags, with severity, advice for the physio and
  advice for the patient.

A kind of thing with more than a label is a table of frozen rows keyed by
code; its `TextChoices` is derived from the table (`choices_from`), so a new
row is a new choice everywhere. Members read as usual:
`Symptom.CALF_SWELLING == "calf_swelling"`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models


def table(rows: Iterable) -> Mapping:
    """Rows keyed by their code, in the order written (read-only)."""
    rows = tuple(rows)
    by_code = {row.code: row for row in rows}
    if len(by_code) != len(rows):
        raise ValueError("a code is written twice")
    return MappingProxyType(by_code)


def choices_from(name: str, rows: Mapping) -> type[models.TextChoices]:
    """The `TextChoices` of a table: one member per row, CODE = "code", "Label"."""
    return models.TextChoices(
        name, [(code.upper(), (code, row.label)) for code, row in rows.items()], module=__name__
    )


# Phases ---------------------------------------------------------------------


class Phase(models.TextChoices):
    NORMALISE = "normalise", "Normalise"
    REBUILD = "rebuild", "Rebuild"
    INTEGRATE = "integrate", "Integrate"
    DISCHARGED = "discharged", "Discharged"


# The programme, in order; a patient past Integrate is discharged.
PHASE_ORDER = (Phase.NORMALISE, Phase.REBUILD, Phase.INTEGRATE)
PROGRAMME_PHASE_CHOICES = [(phase.value, phase.label) for phase in PHASE_ORDER]

# Pain: where and when -------------------------------------------------------

# A pain score is a 0-10 numeric rating scale.
PAIN_MIN = 0
PAIN_MAX = 10


@dataclass(frozen=True)
class PainLocation:
    code: str
    label: str  # the physio's words (pain grid, record, FHIR text)
    patient_label: str  # the patient's words (portal)
    # Knee and anterior thigh are recorded only for the implant rule; they
    # never count as back/hip pain (DESIGN 3).
    back_hip: bool
    # SNOMED CT body structure for the FHIR export; the grid is finer than
    # some of these codes, so `label` goes beside it as text.
    body_site: tuple[str, str]


LOCATIONS = table((
    PainLocation("anterior_hip", "Anterior hip / groin", "Front of the hip / groin",
                 back_hip=True, body_site=("26893007", "Structure of inguinal region")),
    PainLocation("lateral_hip", "Lateral hip / outer thigh", "Side of the hip / outer thigh",
                 back_hip=True, body_site=("29836001", "Hip region structure")),
    PainLocation("buttock_si", "Buttock / sacroiliac", "Buttock, or where the back meets the pelvis",
                 back_hip=True, body_site=("46862004", "Buttock structure")),
    PainLocation("lumbar_bilateral", "Lower back, both sides", "Lower back, across both sides",
                 back_hip=True, body_site=("52612000", "Lumbar region structure")),
    PainLocation("lumbar_unilateral", "Lower back, one side", "Lower back, one side only",
                 back_hip=True, body_site=("52612000", "Lumbar region structure")),
    PainLocation("anterior_thigh", "Anterior thigh", "Front of the thigh",
                 back_hip=False, body_site=("68367000", "Thigh structure")),
    PainLocation("knee", "Knee", "Knee",
                 back_hip=False, body_site=("72696002", "Knee region structure")),
))
Location = choices_from("Location", LOCATIONS)
BACK_HIP_LOCATIONS = frozenset(code for code, row in LOCATIONS.items() if row.back_hip)
IMPLANT_LOCATIONS = frozenset(LOCATIONS) - BACK_HIP_LOCATIONS


@dataclass(frozen=True)
class PainContext:
    code: str
    label: str
    patient_label: str


CONTEXTS = table((
    PainContext("rest", "Rest", "Resting"),
    PainContext("activity", "Activity", "Moving"),
    PainContext("night", "Night", "At night"),
))
Context = choices_from("Context", CONTEXTS)

# Red-flag symptoms ----------------------------------------------------------
# Which flag a symptom raises, and when, is the rule's business
# (rehab/rules/red_flags.py); a new symptom is a row here plus its rule.


@dataclass(frozen=True)
class RedFlagSymptom:
    code: str
    label: str  # the physio's checklist
    question: str  # what the patient ticks in the portal


SYMPTOMS = table((
    RedFlagSymptom("calf_swelling", "Calf swelling (operated leg)",
                   "Swelling in the calf of your operated leg"),
    RedFlagSymptom("calf_warmth", "Calf warmth (operated leg)",
                   "The calf of your operated leg feels warm or hot to touch"),
    RedFlagSymptom("calf_redness", "Calf redness (operated leg)",
                   "Redness on the calf of your operated leg"),
    RedFlagSymptom("breathlessness", "New or sudden shortness of breath",
                   "You are suddenly short of breath, or more breathless than usual"),
    RedFlagSymptom("chest_pain", "Chest pain, worse on breathing in",
                   "Pain in your chest, especially when you breathe in"),
    RedFlagSymptom("fever", "Fever", "A fever, or feeling hot and shivery"),
    RedFlagSymptom("joint_pain", "Joint pain", "New or worsening pain in your operated knee joint"),
    RedFlagSymptom("saddle_numbness", "Saddle numbness",
                   "Numbness around your bottom, genitals or inner thighs (the 'saddle' area)"),
    RedFlagSymptom("bladder_bowel_change", "New bladder or bowel dysfunction",
                   "Trouble passing urine, leaking urine or stool, or not feeling when you need to go"),
    RedFlagSymptom("constant_night_pain", "Severe constant night pain, unchanged by position",
                   "Severe pain at night that is there all the time and does not ease when you change "
                   "position"),
    RedFlagSymptom("weight_loss", "Unexplained weight loss", "Losing weight without trying"),
    RedFlagSymptom("foot_drop", "Foot drop", "Your foot drops or slaps down, or your toes catch when you walk"),
    RedFlagSymptom("progressive_weakness", "Progressive leg weakness",
                   "A leg that is getting weaker day by day"),
    RedFlagSymptom("shooting_leg_pain", "Shooting leg pain", "Pain that shoots down your leg, below the knee"),
    RedFlagSymptom("new_numbness_tingling", "New numbness or tingling in the leg",
                   "New numbness, tingling or pins and needles in your leg or foot"),
    RedFlagSymptom("late_knee_thigh_ache", "New localised knee or thigh ache after a pain-free period",
                   "A new ache in one spot of your knee or thigh, after a time when it had stopped hurting"),
    RedFlagSymptom("hip_click_catching", "Hip clicking or catching",
                   "Your hip clicks, catches or locks when you move"),
))
Symptom = choices_from("Symptom", SYMPTOMS)

# Entries, surgery, criteria -------------------------------------------------


class EntryKind(models.TextChoices):
    VISIT = "visit", "Visit"
    SELF_REPORT = "self_report", "Self-report"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class Comparator(models.TextChoices):
    AT_MOST = "<=", "≤"
    AT_LEAST = ">=", "≥"
    EQUALS = "==", "="

# Adherence -----------------------------------------------------------------
# What a patient marks on the portal for an exercise of their plan on a day
# (DESIGN 9). Every mark says the exercise was done, or at least tried, that
# day; "too hard" and "it hurt" say how it went, and the physio sees them
# highlighted.


@dataclass(frozen=True)
class MarkStatus:
    code: str
    label: str  # the physio's words (patient page, export)
    patient_label: str  # the portal's button
    concern: bool  # highlighted for the physio


MARK_STATUSES = table((
    MarkStatus("done", "Done", "Done", concern=False),
    MarkStatus("too_hard", "Too hard", "Too hard", concern=True),
    MarkStatus("hurt", "It hurt", "It hurt", concern=True),
))
AdherenceStatus = choices_from("AdherenceStatus", MARK_STATUSES)
