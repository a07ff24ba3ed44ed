"""Default clinical content for Kinetic.

Plain Python data only (no Django imports), so it can be loaded both by the
seeding function used for new clinics and by data migrations.

Sources: DESIGN.md section 1 (phases, key exercises, exit criteria) and
section 8 (clinical facts). All patient-facing text is written for an older
adult reading on a phone: plain words, short sentences, UK English.

Contents:
    PHASES          the three phases in order, with exit criteria and the
                    exercise template (names match EXERCISES exactly)
    EXERCISES       the fifteen key exercises, each with its fixed code (the
                    key caseload files name it by; never change one)
    EDUCATION       education articles (patient and clinician)
    LOCATION_GUIDE  pain location code -> likely source, aggravators

Text conventions for EDUCATION bodies: paragraphs are separated by a blank
line; a line starting with "- " is a bullet.
"""

from .education import EDUCATION
from .exercises_integrate import INTEGRATE_EXERCISES
from .exercises_normalise import NORMALISE_EXERCISES
from .exercises_rebuild import REBUILD_EXERCISES
from .location_guide import LOCATION_GUIDE
from .phases import PHASES

# A shared pain guide is written into each exercise's cautions where it
# matters: mild discomfort (up to 5/10) that settles within an hour or so and
# is no worse the next morning is acceptable.

EXERCISES = NORMALISE_EXERCISES + REBUILD_EXERCISES + INTEGRATE_EXERCISES

__all__ = ["EDUCATION", "EXERCISES", "LOCATION_GUIDE", "PHASES"]
