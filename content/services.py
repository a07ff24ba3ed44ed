"""Writes to the programme content."""

from django.db import transaction

from content import defaults
from content.models import EducationArticle, Exercise, ExitCriterion, Phase, PhaseTemplateItem


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
        ExitCriterion.objects.bulk_create(
            ExitCriterion(phase=phase, measure=measure, comparator=comparator, threshold=threshold)
            for measure, comparator, threshold in spec["exit_criteria"]
        )
        PhaseTemplateItem.objects.bulk_create(
            PhaseTemplateItem(phase=phase, exercise=exercises[name], order=position)
            for position, name in enumerate(spec["template"], start=1)
        )

    for spec in defaults.EDUCATION:
        EducationArticle.objects.get_or_create(
            clinic=clinic,
            slug=spec["slug"],
            defaults={key: spec[key] for key in ("title", "audience", "section", "order", "body")},
        )
