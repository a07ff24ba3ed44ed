"""Articles get a section code: a database migrated from slugs keeps every
article, and the three the portal used to find by slug get their sections."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("content", "0003_criterion_threshold_within_measure_limits")]


@pytest.mark.django_db(transaction=True)
def test_seeded_slugs_become_section_codes_and_nothing_is_lost():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(list(MigrationExecutor(connection).loader.applied_migrations)).apps
        clinic = old.get_model("patients", "Clinic").objects.create(slug="oldtown", name="Old Town Physio")
        Article = old.get_model("content", "EducationArticle")
        for slug in ("dos", "donts", "seek-same-day-care", "first-72-hours"):
            Article.objects.create(clinic_id=clinic.pk, slug=slug, title=slug.title(), audience="patient",
                                   order=1, body=f"Text of {slug}")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from content.models import EducationArticle

    migrated = {a.slug: (a.section, a.is_active, a.body)
                for a in EducationArticle.objects.filter(clinic__slug="oldtown")}
    assert migrated == {
        "dos": ("dos", True, "Text of dos"),
        "donts": ("donts", True, "Text of donts"),
        "seek-same-day-care": ("seek_same_day_care", True, "Text of seek-same-day-care"),
        "first-72-hours": ("general", True, "Text of first-72-hours"),
    }
