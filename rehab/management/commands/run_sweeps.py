import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from content import codes
from patients.models import Clinic
from rehab.sweeps import sweep_run


class Command(BaseCommand):
    help = ("Run the programme sweep (the code the Celery beat schedule runs): entry flag "
            "reconciliation, readiness, plateau and regression.")

    def add_arguments(self, parser):
        parser.add_argument("--clinic", help="Only this clinic (slug).")
        parser.add_argument("--as-of", help="Evaluate at this date (YYYY-MM-DD); default: each clinic's today.")

    def handle(self, clinic=None, as_of=None, **options):
        clinic_obj = None
        if clinic:
            try:
                clinic_obj = Clinic.objects.get(slug=clinic)
            except Clinic.DoesNotExist:
                raise CommandError(f"No clinic with the slug “{clinic}”.") from None
        as_of_date = None
        if as_of:
            try:
                as_of_date = dt.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of “{as_of}” is not a date (YYYY-MM-DD).") from None
        summary = sweep_run(clinic=clinic_obj, as_of=as_of_date)
        labels = dict(codes.FLAG_CODES)
        for code, _ in codes.FLAG_CODES:
            count = summary.raised.get(code, 0)
            self.stdout.write(f"{code:<22} raised {count:>4}  ({labels[code]})")
        self.stdout.write(f"closed {summary.closed}; emails sent {summary.notified}")
