"""Every exercise gets a stable code, the key caseload files name it by
(INTERCHANGE.md section 2). The default library's exercises get their fixed
codes; any other exercise its name as a slug, made unique in its clinic."""

from django.core.validators import RegexValidator
from django.db import migrations, models
from django.utils.text import slugify

# The default library's fixed codes, by the name it was seeded with (frozen
# here: content/defaults may change, this migration must not).
DEFAULT_CODES = {
    "Supine hip flexor stretch": "supine-hip-flexor-stretch",
    "Heel slides": "heel-slides",
    "Short arc quads": "short-arc-quads",
    "Standing hip extension (wall support)": "standing-hip-extension-wall-support",
    "Heel-to-toe walking": "heel-to-toe-walking",
    "Double-leg glute bridge": "double-leg-glute-bridge",
    "Side-lying hip abduction": "side-lying-hip-abduction",
    "Clamshells": "clamshells",
    "Supported single-leg stance": "supported-single-leg-stance",
    "Step-ups": "step-ups",
    "Single-leg glute bridge": "single-leg-glute-bridge",
    "Lateral band walks": "lateral-band-walks",
    "Controlled hip hinge": "controlled-hip-hinge",
    "Stair negotiation": "stair-negotiation",
    "Varied terrain walking": "varied-terrain-walking",
}
CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_LENGTH = 120


def _unique(base, taken):
    base = base[: MAX_LENGTH - 4].strip("-") or "exercise"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def codes_for_exercises(apps, schema_editor):
    Exercise = apps.get_model("content", "Exercise")
    HistoricalExercise = apps.get_model("content", "HistoricalExercise")
    taken = {}  # clinic id -> codes given
    exercises = list(Exercise.objects.order_by("clinic_id", "id"))
    # The default codes first, so another exercise never takes one of them.
    exercises.sort(key=lambda e: (e.clinic_id, e.name not in DEFAULT_CODES, e.id))
    for exercise in exercises:
        codes = taken.setdefault(exercise.clinic_id, set())
        exercise.code = _unique(DEFAULT_CODES.get(exercise.name) or slugify(exercise.name), codes)
        codes.add(exercise.code)
    Exercise.objects.bulk_update(exercises, ["code"], batch_size=1000)
    for exercise in exercises:
        HistoricalExercise.objects.filter(id=exercise.id).update(code=exercise.code)


def _field(**extra):
    return models.SlugField(
        max_length=MAX_LENGTH, editable=False, db_index=False,
        validators=[RegexValidator(CODE_PATTERN, "Use lower-case letters, digits and hyphens.")],
        help_text="The exercise's fixed code, used in caseload files (imports and exports). "
                  "Made from the name when the exercise is created; it does not change when the name does.",
        **extra,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0007_exercise_picture"),
    ]

    operations = [
        migrations.AddField(model_name="exercise", name="code", field=_field(default="")),
        migrations.AddField(model_name="historicalexercise", name="code", field=_field(default="")),
        migrations.RunPython(codes_for_exercises, migrations.RunPython.noop),
        migrations.AlterField(model_name="exercise", name="code", field=_field()),
        migrations.AlterField(model_name="historicalexercise", name="code", field=_field()),
        migrations.AddConstraint(
            model_name="exercise",
            constraint=models.UniqueConstraint(fields=("clinic", "code"), name="exercise_unique_code_per_clinic"),
        ),
        migrations.AddConstraint(
            model_name="exercise",
            constraint=models.CheckConstraint(condition=models.Q(code__regex=CODE_PATTERN), name="exercise_code_valid"),
        ),
    ]
