"""Writes to the programme content."""

from django.apps import apps as django_apps
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from content import defaults
from content.models import EducationArticle, Exercise, ExitCriterion, Phase, PhaseTemplateItem

DEFAULT_PROGRAMME = "Kinetic's default programme"


@transaction.atomic
def clinic_programme_seed(*, clinic) -> None:
    """Give a clinic the default programme: phases with exit criteria, the
    exercise library, each phase's template and the education articles.

    Safe to run twice: existing rows (matched by their natural keys) are left
    as the clinic admins edited them.
    """
    exercises = {}
    for spec in defaults.EXERCISES:
        exercise, _ = Exercise.objects.get_or_create(
            clinic=clinic,
            name=spec["name"],
            defaults={
                "code": spec["code"],
                "purpose": spec["purpose"],
                "instructions": "\n".join(spec["instructions"]),
                "dosage": spec["dosage"],
                "cautions": spec["cautions"],
                "media_url": spec["media_url"],
            },
        )
        exercises[exercise.name] = exercise

    for spec in defaults.PHASES:
        phase, created = Phase.objects.get_or_create(
            clinic=clinic,
            code=spec["code"],
            defaults={
                key: spec[key] for key in ("order", "name", "goal", "typical_window", "description")
            },
        )
        if not created:
            continue
        # With their history's first row, so that a clinic admin's first edit
        # shows in the phase's history as "from → to".
        bulk_create_with_history([
            ExitCriterion(phase=phase, measure=measure, comparator=comparator, threshold=threshold)
            for measure, comparator, threshold in spec["exit_criteria"]
        ], ExitCriterion, default_change_reason=DEFAULT_PROGRAMME)
        bulk_create_with_history([
            PhaseTemplateItem(phase=phase, exercise=exercises[name], order=position)
            for position, name in enumerate(spec["template"], start=1)
        ], PhaseTemplateItem, default_change_reason=DEFAULT_PROGRAMME)

    clinic_outcomes_seed(clinic=clinic)

    for spec in defaults.EDUCATION:
        EducationArticle.objects.get_or_create(
            clinic=clinic,
            slug=spec["slug"],
            defaults={key: spec[key] for key in ("title", "audience", "section", "order", "body")},
        )


def clinic_outcomes_seed(*, clinic, apps=None) -> None:
    """Give a clinic the default questionnaires (content/defaults/instruments.py)
    and the performance tests' minimal detectable change (content.measures
    defaults). Safe to run twice: rows the clinic has (by code, by measure)
    are left as edited. `apps` is a migration's app registry (historical models)."""
    from content.defaults.instruments import INSTRUMENTS
    from content.measures import PERFORMANCE_TESTS

    get = apps.get_model if apps is not None else django_apps.get_model
    instrument_model, item_model = get("content", "Instrument"), get("content", "InstrumentItem")
    option_model, row_model = get("content", "AnswerOption"), get("content", "ConversionRow")
    mdc_model = get("content", "MinimalDetectableChange")
    # A migration's historical model may predate a field the defaults now set.
    known = {field.name for field in instrument_model._meta.get_fields()}
    for spec in INSTRUMENTS:
        fields = {key: value for key, value in spec.items()
                  if key not in ("code", "options", "items", "table") and key in known}
        instrument, created = instrument_model.objects.get_or_create(
            clinic_id=clinic.pk, code=spec["code"], defaults=fields,
        )
        if not created:
            continue
        item_model.objects.bulk_create(
            item_model(instrument=instrument, order=order, stem=stem, text=text, loinc=loinc)
            for order, (stem, text, loinc) in enumerate(spec["items"], start=1)
        )
        option_model.objects.bulk_create(
            option_model(instrument=instrument, value=value, label=label) for value, label in spec["options"]
        )
        row_model.objects.bulk_create(
            row_model(instrument=instrument, raw=raw, score=score) for raw, score in spec["table"].items()
        )
    for code, measure in PERFORMANCE_TESTS.items():
        mdc_model.objects.get_or_create(
            clinic_id=clinic.pk, measure=code,
            defaults={"value": measure.mdc_default, "source": measure.mdc_source},
        )
