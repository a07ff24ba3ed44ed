"""The outcome questionnaires every clinic starts with (DESIGN.md §9).

Plain data. Item wording is the instruments' own (HSS: “Do not alter the
surveys without written permission from their developer”); the stems group
the items as the printed forms do.

Conversion tables: KOOS JR and HOOS JR are reported by their developers as an
interval score 0–100 read from a conversion table in the Hospital for Special
Surgery scoring instructions (hss.edu/hoos-jr-koos-jr-outcomes-surveys.asp).
We could not confirm those tables from the primary document, so neither is
shipped: both instruments are scored as the raw sum (0–28, 0–24; lower is
better) and carry no score LOINC, because LOINC's score codes (KOOS JR
82332-8, HOOS JR 82323-7) name the interval score, not the raw sum. A clinic
holding the document enters the table in the admin, sets scoring to
“conversion table”, cites the document and adds the score code (README,
“Outcome measures”).
"""

from decimal import Decimal

# LOINC's interval-score codes, for the clinic that enters the confirmed table.
KOOS_JR_INTERVAL_SCORE_LOINC = "82332-8"
HOOS_JR_INTERVAL_SCORE_LOINC = "82323-7"

_SEVERITY = [(0, "None"), (1, "Mild"), (2, "Moderate"), (3, "Severe"), (4, "Extreme")]

_KNEE_STIFFNESS = "How severe is your knee stiffness after first wakening in the morning?"
_KNEE_PAIN = "What amount of knee pain have you experienced the last week during the following activities?"
_KNEE_FUNCTION = ("What degree of difficulty have you experienced the last week due to your knee "
                  "in the following activities?")
_HIP_PAIN = "What amount of hip pain have you experienced the last week during the following activities?"
_HIP_FUNCTION = ("What degree of difficulty have you experienced the last week due to your hip "
                 "in the following activities?")

INSTRUMENTS = [
    {
        "code": "psfs",
        "patient_title": "Activities you find hard",
        "name": "Patient-Specific Functional Scale (PSFS)",
        "instructions": (
            "Name 3 to 5 important activities that you are unable to do or find hard because of your "
            "problem. Rate each from 0 (unable to do it) to 10 (able to do it as well as before the "
            "problem). Next time you will rate the same activities again."
        ),
        "scoring": "mean",
        "patient_named_items": True,
        "min_items": 3,
        "max_items": 5,
        "higher_is_better": True,
        "meaningful_change": Decimal("2"),
        "meaningful_change_source": "2 points on the mean score: Kinetic's starting value. Replace it with the "
                                    "value your clinic uses and cite its source.",
        "conversion_source": "",
        "loinc_panel": "",
        "loinc_score": "",
        "order": 1,
        "scheduled": True,
        "options": [(0, "Unable to perform the activity")] + [(n, "") for n in range(1, 10)]
        + [(10, "Able to perform it at the level before the problem")],
        "items": [],
        "table": {},
    },
    {
        "code": "koos_jr",
        "patient_title": "Questions about your knee",
        "name": "KOOS JR (knee)",
        "instructions": (
            "These questions ask about your knee in the last week. Choose one answer for each question."
        ),
        "scoring": "sum",
        "patient_named_items": False,
        "min_items": None,
        "max_items": None,
        "higher_is_better": False,  # a raw sum: 0 is no problems, 28 extreme
        "meaningful_change": None,
        "meaningful_change_source": "",
        "conversion_source": "",
        "loinc_panel": "82324-5",
        "loinc_score": "",
        "order": 2,
        "scheduled": True,
        "options": _SEVERITY,
        # LOINC item codes in the panel's order, which follows the form's.
        "items": [
            (_KNEE_STIFFNESS, "Stiffness after first wakening in the morning", "82325-2"),
            (_KNEE_PAIN, "Twisting/pivoting on your knee", "82326-0"),
            (_KNEE_PAIN, "Straightening knee fully", "82327-8"),
            (_KNEE_PAIN, "Going up or down stairs", "82328-6"),
            (_KNEE_PAIN, "Standing upright", "82329-4"),
            (_KNEE_FUNCTION, "Rising from sitting", "82330-2"),
            (_KNEE_FUNCTION, "Bending to floor/pick up an object", "82331-0"),
        ],
        "table": {},
    },
    {
        "code": "hoos_jr",
        "patient_title": "Questions about your hip",
        "name": "HOOS JR (hip)",
        "instructions": (
            "These questions ask about your hip in the last week. Choose one answer for each question."
        ),
        "scoring": "sum",
        "patient_named_items": False,
        "min_items": None,
        "max_items": None,
        "higher_is_better": False,  # a raw sum: 0 is no problems, 24 extreme
        "meaningful_change": None,
        "meaningful_change_source": "",
        "conversion_source": "",
        "loinc_panel": "82316-1",
        "loinc_score": "",
        "order": 3,
        # Kinetic follows knee replacements: the hip form is there for the
        # clinic that wants it, not asked of every patient.
        "scheduled": False,
        "options": _SEVERITY,
        "items": [
            (_HIP_PAIN, "Going up or down stairs", "82317-9"),
            (_HIP_PAIN, "Walking on an uneven surface", "82318-7"),
            (_HIP_FUNCTION, "Rising from sitting", "82319-5"),
            (_HIP_FUNCTION, "Bending to floor/pick up an object", "82320-3"),
            (_HIP_FUNCTION, "Lying in bed (turning over, maintaining hip position)", "82321-1"),
            (_HIP_FUNCTION, "Sitting", "82322-9"),
        ],
        "table": {},
    },
]
