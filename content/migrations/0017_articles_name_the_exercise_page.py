"""Two default patient articles told patients to report "from your Kinetic
page"; the patient never sees that name (the portal's header is the
clinic's). They now say "your online exercise page", in every clinic's copy
that still has the phrase."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

OLD, NEW = "your Kinetic page", "your online exercise page"
SLUGS = ("first-72-hours", "seek-same-day-care")


def reword(apps, schema_editor):
    article = apps.get_model("content", "EducationArticle")
    article.objects.filter(slug__in=SLUGS, body__contains=OLD).update(body=Replace("body", Value(OLD), Value(NEW)))


class Migration(migrations.Migration):
    dependencies = [("content", "0016_default_criteria_and_template_history")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
