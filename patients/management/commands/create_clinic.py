import zoneinfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from patients.models import Clinic


class Command(BaseCommand):
    help = "Create a clinic with the default programme content (phases, exercises, education)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short identifier used in imports and exports, e.g. riverside.")
        parser.add_argument("--name", required=True, help="The clinic's display name.")
        parser.add_argument("--time-zone", default="Europe/London", help="IANA time zone (default Europe/London).")

    def handle(self, slug, name, time_zone, **options):
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(f"“{slug}” is not a valid slug: use letters, numbers, hyphens or underscores.") from None
        if time_zone not in zoneinfo.available_timezones():
            raise CommandError(f"“{time_zone}” is not a known time zone (for example Europe/London).")
        if Clinic.objects.filter(slug=slug).exists():
            raise CommandError(f"A clinic with the slug “{slug}” already exists.")
        clinic = Clinic.objects.create(slug=slug, name=name, time_zone=time_zone)
        self.stdout.write(self.style.SUCCESS(
            f"Created clinic {clinic.name} ({clinic.slug}) with {clinic.phases.count()} phases, "
            f"{clinic.exercises.count()} exercises and {clinic.articles.count()} education articles."
        ))
