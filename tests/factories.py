"""factory-boy factories for every model. Values that tests depend on are
explicit in the tests; defaults here are plain and deterministic."""

import datetime as dt

import factory
from django.db import transaction
from django.utils import timezone

from content.models import (
    AnswerOption,
    EducationArticle,
    Exercise,
    ExitCriterion,
    Instrument,
    InstrumentItem,
    MinimalDetectableChange,
    Phase,
    PhaseTemplateItem,
)
from patients.models import (
    AdherenceMark,
    AssignedPlanItem,
    Clinic,
    Entry,
    EntrySymptom,
    OutcomeAdministration,
    PainScore,
    Patient,
    PortalLink,
    User,
)
from rehab.flags import patients_urgency_refresh
from rehab.models import Flag, PhaseTransition

SURGERY = dt.date(2026, 6, 1)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"clinic-{n}")
    name = factory.Sequence(lambda n: f"Clinic {n}")
    time_zone = "Europe/London"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"physio{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Physio{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    clinic = factory.SubFactory(ClinicFactory)
    role = User.PHYSIO
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PhysioFactory(UserFactory):
    role = User.PHYSIO


class ClinicAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = User.CLINIC_ADMIN
    is_staff = True


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    ref = factory.Sequence(lambda n: f"P-{n:04d}")
    given_name = "Mary"
    family_name = factory.Sequence(lambda n: f"Lee{n}")
    date_of_birth = dt.date(1954, 3, 2)
    operated_side = "left"
    surgery_date = SURGERY
    programme_start = factory.LazyAttribute(lambda p: p.surgery_date + dt.timedelta(days=7))
    phase = "normalise"
    physio = factory.LazyAttribute(lambda p: PhysioFactory(clinic=p.clinic))


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    patient = factory.SubFactory(PatientFactory)
    kind = Entry.VISIT
    date = factory.LazyAttribute(lambda e: e.patient.programme_start)


class SelfReportFactory(EntryFactory):
    kind = Entry.SELF_REPORT


class PainScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainScore

    entry = factory.SubFactory(EntryFactory)
    location = "lumbar_bilateral"
    context = "activity"
    score = 5


class EntrySymptomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntrySymptom

    entry = factory.SubFactory(EntryFactory)
    code = "calf_swelling"


def _clinic_phase(clinic, code):
    return Phase.objects.get(clinic=clinic, code=code)


class PhaseFactory(factory.django.DjangoModelFactory):
    """Clinics are seeded with their phases; this fetches one by code."""

    class Meta:
        model = Phase
        django_get_or_create = ("clinic", "code")

    clinic = factory.SubFactory(ClinicFactory)
    code = "normalise"
    order = 1
    name = "Normalise"
    goal = "Reduce pain"
    typical_window = "Weeks 1–6"


class ExitCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitCriterion
        django_get_or_create = ("phase", "measure")

    phase = factory.SubFactory(PhaseFactory)
    measure = "activity_pain"
    comparator = "<="
    threshold = 4


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Exercise {n}")
    purpose = "Strength"
    instructions = "Lie on your back.\nLift your hips."
    dosage = "3 × 10, daily"


class PhaseTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhaseTemplateItem

    phase = factory.SubFactory(PhaseFactory)
    exercise = factory.LazyAttribute(lambda item: ExerciseFactory(clinic=item.phase.clinic))
    order = 99


class EducationArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationArticle

    clinic = factory.SubFactory(ClinicFactory)
    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    body = "Keep moving."
    section = "general"


class AssignedPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignedPlanItem

    patient = factory.SubFactory(PatientFactory)
    exercise = factory.LazyAttribute(lambda item: ExerciseFactory(clinic=item.patient.clinic))
    order = 1


class AdherenceMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdherenceMark

    patient = factory.SubFactory(PatientFactory)
    exercise = factory.LazyAttribute(lambda mark: ExerciseFactory(clinic=mark.patient.clinic))
    date = factory.LazyAttribute(lambda mark: mark.patient.programme_start)
    status = "done"


class PortalLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortalLink

    patient = factory.SubFactory(PatientFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=90))


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    patient = factory.SubFactory(PatientFactory)
    code = "plateau_12w"
    severity = "review"
    message = "Activity pain has not improved meaningfully."
    advice = "Comprehensive review."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the flag services do on every write: the patient's caseload rank follows.
        flag = super()._create(model_class, *args, **kwargs)
        with transaction.atomic():
            patients_urgency_refresh([flag.patient_id])
        return flag


class PhaseTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhaseTransition

    patient = factory.SubFactory(PatientFactory)
    from_phase = "normalise"
    to_phase = "rebuild"
    date = factory.LazyAttribute(lambda t: t.patient.programme_start + dt.timedelta(days=42))
    reason = "Criteria met"


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A made-up two-item questionnaire scored by its sum (0–6), with options 0–3."""

    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    code = factory.Sequence(lambda n: f"made_up_{n}")
    name = factory.Sequence(lambda n: f"Made-up questionnaire {n}")
    scoring = "sum"

    @factory.post_generation
    def with_items(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            InstrumentItem.objects.bulk_create(
                InstrumentItem(instrument=obj, order=n, text=f"Question {n}") for n in (1, 2)
            )
            AnswerOption.objects.bulk_create(AnswerOption(instrument=obj, value=v) for v in range(4))


class MinimalDetectableChangeFactory(factory.django.DjangoModelFactory):
    """Clinics are seeded with one per performance test; this fetches or makes one."""

    class Meta:
        model = MinimalDetectableChange
        django_get_or_create = ("clinic", "measure")

    clinic = factory.SubFactory(ClinicFactory)
    measure = "tug_s"
    value = "1.1"
    source = "Test source"


class OutcomeAdministrationFactory(factory.django.DjangoModelFactory):
    """A KOOS JR administration of the patient's clinic (raw sum 7)."""

    class Meta:
        model = OutcomeAdministration

    patient = factory.SubFactory(PatientFactory)
    instrument = factory.LazyAttribute(lambda o: Instrument.objects.get(clinic=o.patient.clinic, code="koos_jr"))
    date = factory.LazyAttribute(lambda o: o.patient.programme_start)
    by = "staff"
    answers = factory.LazyFunction(lambda: [1, 1, 1, 1, 1, 1, 1])
    raw = 7
    score = 7
