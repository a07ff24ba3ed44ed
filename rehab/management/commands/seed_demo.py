"""A demo clinic with staff and patients in every phase and every kind of flag.

Deterministic (a fixed random seed) and dated relative to today, so the demo
always shows current-looking caseloads. Running it again changes nothing and
prints the logins.
"""

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from content.codes import Phase
from content.models import Instrument
from patients.models import AdherenceMark, Clinic, Patient, User
from patients.outcomes import record_outcome
from rehab.entries import entry_create, evaluation_batched
from rehab.models import Flag, PhaseTransition
from rehab.plans import plan_assign_from_template

SLUG = "demo"
PASSWORD = "kinetic-demo"  # noqa: S105  (a public demo login, printed on purpose)
STAFF = (
    ("demo-admin", User.CLINIC_ADMIN, "Priya", "Patel"),
    ("jsmith", User.PHYSIO, "Jo", "Smith"),
    ("akhan", User.PHYSIO, "Amir", "Khan"),
)
GIVEN = ["Mary", "John", "Margaret", "David", "Susan", "Peter", "Linda", "Robert", "Patricia", "Michael",
         "Barbara", "James", "Elizabeth", "William", "Jennifer", "Richard", "Dorothy", "Thomas", "Helen",
         "Charles", "Sandra", "George", "Carol", "Kenneth", "Ruth", "Brian", "Sharon", "Ronald", "Ann",
         "Anthony", "Joan", "Paul", "Irene", "Frank"]
FAMILY = ["Lee", "Brown", "Wilson", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright",
          "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Martin",
          "Jackson", "Clarke", "Clark", "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore",
          "King", "Watson", "Baker", "Harrison"]

# (phase, weeks in programme, story) — story decides the pain curve and symptoms.
CASES = (
    [("normalise", w, "improving") for w in (2, 3, 4, 4, 5)]
    + [("normalise", 5, "ready"), ("normalise", 3, "dvt"), ("normalise", 4, "infection"),
       ("normalise", 2, "slow"), ("normalise", 6, "pe_signs")]
    + [("rebuild", w, "improving") for w in (7, 8, 9, 10, 11)]
    + [("rebuild", 10, "ready"), ("rebuild", 9, "radicular"), ("rebuild", 11, "regression"),
       ("rebuild", 8, "motor_deficit"), ("rebuild", 12, "night_pain")]
    + [("integrate", w, "improving") for w in (14, 15)] + [("integrate", 17, "pain_report")]
    + [("integrate", 18, "ready"), ("integrate", 14, "plateau"), ("integrate", 16, "plateau_hip"),
       ("integrate", 15, "cauda_equina"), ("integrate", 19, "late_ache"), ("integrate", 13, "hip_click")]
    + [("discharged", w, "improving") for w in (18, 20, 22, 24)]
)
# What demo patients name on the PSFS: everyday things the back and hip make hard.
DEMO_ACTIVITIES = ["Walking to the shops", "Stairs", "Getting out of a car", "Putting on socks",
                   "Standing to cook", "Gardening", "Getting up from a low chair", "Playing with grandchildren"]
PHASE_START_WEEK = {"normalise": 0, "rebuild": 6, "integrate": 12, "discharged": 17}


class Command(BaseCommand):
    help = "Create a demo clinic with staff and 30+ patients; prints the logins. Safe to run twice."

    def handle(self, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo refuses to run under production settings: it creates staff logins "
                f"whose password ({PASSWORD}) is printed in the README."
            )
        if Clinic.objects.filter(slug=SLUG).exists():
            self.stdout.write("The demo clinic already exists; nothing changed.")
        else:
            with transaction.atomic():
                with evaluation_batched():
                    clinic = self._seed()
                # The patients are fictional: nobody is emailed about their flags.
                Flag.objects.filter(patient__clinic=clinic, notified_at__isnull=True).update(notified_at=timezone.now())
            self.stdout.write(self.style.SUCCESS("Created the demo clinic."))
        self.stdout.write(f"Logins (password for all: {PASSWORD}):")
        for username, role, first, last in STAFF:
            self.stdout.write(f"  {username:<11} {dict(User.ROLES)[role]} ({first} {last})")

    def _seed(self):
        rng = random.Random(20261122)
        # 020 7946 0xxx is Ofcom's range reserved for drama: it rings nobody.
        clinic = Clinic.objects.create(
            slug=SLUG, name="Riverside Physiotherapy (demo)", time_zone="Europe/London",
            phone="020 7946 0000", address="1 River Lane\nLondon SE1 1AA",
            opening_hours="Monday to Friday, 8am to 6pm", emergency_number="999",
        )
        staff = {}
        for username, role, first, last in STAFF:
            user = User(username=username, role=role, clinic=clinic, first_name=first, last_name=last,
                        email=f"{username}@demo.kinetic.invalid", is_staff=role == User.CLINIC_ADMIN)
            user.set_password(PASSWORD)
            user.save()
            staff[username] = user
        physios = [staff["jsmith"], staff["akhan"]]
        today = clinic.today()
        for number, (phase, weeks, story) in enumerate(CASES, start=1):
            programme_start = today - dt.timedelta(weeks=weeks, days=rng.randint(0, 4))
            surgery = programme_start - dt.timedelta(days=rng.randint(7, 21))
            patient = Patient.objects.create(
                clinic=clinic, ref=f"P-{number:04d}", given_name=GIVEN[number], family_name=FAMILY[number],
                date_of_birth=dt.date(rng.randint(1942, 1966), rng.randint(1, 12), rng.randint(1, 28)),
                operated_side=rng.choice(["left", "right"]), surgery_date=surgery,
                programme_start=programme_start, phase=phase, physio=physios[number % 2],
            )
            self._history(patient, phase, story, today, rng)
            if phase != Phase.DISCHARGED:
                plan_assign_from_template(patient=patient)
                self._marks(patient, story, today, random.Random(number))
        return clinic

    def _marks(self, patient, story, today, rng):
        """Four weeks of ticks on the portal: most patients on most days, the
        plateau stories on fewer than half (DESIGN 9), now and then "too hard"
        or "it hurt"."""
        share = 0.3 if story.startswith("plateau") else 0.8
        exercises = [item.exercise_id for item in patient.plan_items.all()]
        marks = []
        for n in range(28):
            day = today - dt.timedelta(days=n)
            if day < patient.programme_start or rng.random() > share:
                continue
            for exercise_id in exercises:
                if rng.random() < 0.8:
                    status = rng.choices(["done", "too_hard", "hurt"], weights=[18, 1, 1])[0]
                    marks.append(AdherenceMark(patient=patient, exercise_id=exercise_id, date=day, status=status))
        AdherenceMark.objects.bulk_create(marks)

    def _history(self, patient, phase, story, today, rng):
        physio = patient.physio
        moves = [p for p in ("rebuild", "integrate", "discharged")
                 if PHASE_START_WEEK[p] <= PHASE_START_WEEK[phase] and p != "normalise"]
        previous = "normalise"
        for to_phase in moves:
            date = patient.programme_start + dt.timedelta(weeks=PHASE_START_WEEK[to_phase])
            PhaseTransition.objects.create(
                patient=patient, from_phase=previous, to_phase=to_phase, moved_by=physio, date=date,
                reason="Exit criteria met at review." if to_phase != "discharged" else "Goals achieved; discharged.",
            )
            previous = to_phase

        visit_dates = []
        day = patient.programme_start
        while day <= today - dt.timedelta(days=2):
            visit_dates.append(day)
            day += dt.timedelta(days=rng.choice([7, 7, 10, 14]))
        if phase == "discharged":
            visit_dates = [d for d in visit_dates if d <= patient.programme_start + dt.timedelta(weeks=17)]
        baseline = rng.randint(6, 8)
        count = len(visit_dates)
        for index, date in enumerate(visit_dates):
            last = index == count - 1
            activity = self._activity_pain(story, baseline, index, count, rng)
            pain = [
                ("lumbar_bilateral", "activity", activity),
                ("lumbar_bilateral", "rest", max(activity - 3, 0)),
                ("lateral_hip", "activity", max(activity - rng.randint(1, 2), 0)),
                ("knee", "activity", max(3 - index, 0) if story != "late_ache" or not last else 4),
                ("anterior_thigh", "rest", 0),
            ]
            if story == "plateau_hip":
                pain.append(("anterior_hip", "activity", activity + 1))
            symptoms, measures = [], self._measures(phase, story, index, count, last)
            if last:
                symptoms = {
                    "dvt": ["calf_swelling", "calf_warmth"], "infection": ["fever", "joint_pain"],
                    "radicular": ["shooting_leg_pain"], "night_pain": ["constant_night_pain", "weight_loss"],
                    # The 72-hour advice's "rapidly worsening leg or foot weakness": same day.
                    "motor_deficit": ["foot_drop", "progressive_weakness"],
                    "hip_click": ["hip_click_catching"],
                }.get(story, [])
                if story == "hip_click":
                    pain.append(("anterior_hip", "activity", 3))
            entry_create(
                patient=patient, kind="visit", date=date, pain=pain, symptoms=symptoms,
                measures=measures, recorded_by=physio,
                notes=rng.choice(["Good adherence to home programme.", "Tolerating load well.",
                                  "Reports stiffness in the mornings.", "Gait cues given.", ""]),
            )
        self._outcomes(patient, story, visit_dates, rng)
        if story == "cauda_equina":
            entry_create(patient=patient, kind="self_report", date=today,
                         pain=[("lumbar_bilateral", "rest", 7)], symptoms=["saddle_numbness"])
        if story == "pe_signs":
            entry_create(patient=patient, kind="self_report", date=today, symptoms=["breathlessness", "chest_pain"])
        if story == "pain_report":
            # A flare that has not settled after three days, reported from the portal.
            entry_create(patient=patient, kind="self_report", date=today,
                         pain=[("lumbar_bilateral", "activity", 7), ("lumbar_bilateral", "rest", 4)])

    def _outcomes(self, patient, story, visit_dates, rng):
        """KOOS JR and the PSFS at the first visit and every 28 days after it
        (DESIGN 9), answered on the portal or typed in from paper: better
        over the course for most, flat for the plateau stories."""
        if not visit_dates:
            return
        instruments = {i.code: i for i in Instrument.objects.filter(clinic=patient.clinic,
                                                                    code__in=["koos_jr", "psfs"])}
        activities = rng.sample(DEMO_ACTIVITIES, 3)
        occasions = []
        day = visit_dates[0]
        while day <= visit_dates[-1]:
            occasions.append(day)
            day += dt.timedelta(days=28)
        flat = story in ("plateau", "plateau_hip", "slow")
        for index, date in enumerate(occasions):
            progress = 0 if flat else index / max(len(occasions) - 1, 1)
            by = rng.choice(["patient", "patient", "staff"])
            koos = [max(0, min(4, round(2.6 - 2 * progress + rng.uniform(-0.6, 0.6)))) for _ in range(7)]
            record_outcome(patient=patient, instrument=instruments["koos_jr"], date=date, by=by, answers=koos,
                           entered_by=patient.physio if by == "staff" else None)
            ratings = [max(0, min(10, round(3 + 5 * progress + rng.uniform(-1, 1)))) for _ in activities]
            record_outcome(patient=patient, instrument=instruments["psfs"], date=date, by=by,
                           activities=list(zip(activities, ratings, strict=True)),
                           entered_by=patient.physio if by == "staff" else None)

    def _activity_pain(self, story, baseline, index, count, rng):
        if story in ("plateau", "plateau_hip"):
            return max(baseline - 2, 5) if index == 0 else 5 + (index % 2)
        if story == "slow":
            return baseline
        if story == "regression" and index == count - 1:
            return 6
        progress = index / max(count - 1, 1)
        target = 2 if story in ("ready", "late_ache") else 3
        return max(round(baseline - (baseline - target) * progress), 0)

    def _measures(self, phase, story, index, count, last):
        ready = story == "ready" and last
        measures = {"standing_tolerance_min": min(5 + index * 3, 18) if not ready else 25}
        if index % 4 == 0 or last:
            # The performance tests at the first visit and about monthly after it.
            progress = 0 if story in ("plateau", "plateau_hip", "slow") else index / max(count - 1, 1)
            measures.update(chair_stand_30s=8 + round(6 * progress),
                            tug_s=(Decimal("14.5") - Decimal(4) * Decimal(str(round(progress, 2)))).quantize(
                                Decimal("0.1")))
        if phase in ("rebuild", "integrate", "discharged"):
            measures.update(walk_without_limp_min=min(8 + index * 2, 18) if not ready else 25,
                            glute_bridge_hold_s=min(10 + index * 3, 25) if not ready else 35,
                            glute_bridge_lumbar_substitution=not ready and index < count - 2)
        if phase in ("integrate", "discharged"):
            measures.update(continuous_walk_min=min(20 + index * 2, 40) if not ready else 50,
                            gait_symmetric_video=ready or phase == "discharged")
        return measures
