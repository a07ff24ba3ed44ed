
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from content.flag_kinds import FlagCode
from patients.models import Clinic
from rehab.management.arguments import iso_date
from rehab.models import Flag
from rehab.sweeps import sweep_run


class Command(BaseCommand):
    help = ("Run the programme sweep (the code the Celery beat schedule runs): entry flag "
            "reconciliation, readiness, plateau and regression. Only a sweep at the clinic's "
            "today writes; --as-of another date, or --dry-run, prints what would change.")

    def add_arguments(self, parser):
        parser.add_argument("--clinic", help="Only this clinic (slug).")
        parser.add_argument("--as-of", type=iso_date,
                            help="Evaluate at this date (YYYY-MM-DD), read-only unless it is the clinic's "
                                 "today; default: each clinic's today.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Print what would be raised and closed; write nothing.")

    def handle(self, clinic=None, as_of=None, dry_run=False, **options):
        clinic_obj = None
        if clinic:
            try:
                clinic_obj = Clinic.objects.get(slug=clinic)
            except Clinic.DoesNotExist:
                raise CommandError(f"No clinic with the slug “{clinic}”.") from None

        summary = sweep_run(clinic=clinic_obj, as_of=as_of, dry_run=dry_run)
        if not summary.written:
            when = f"at {as_of:%Y-%m-%d}" if as_of else "today"
            self.stdout.write(f"Read-only: evaluated {when}; nothing was written "
                              "(\"new\" is what this sweep would raise; \"open\" is what is open now).")
        flags = Flag.objects.open()
        if clinic_obj:
            flags = flags.filter(patient__clinic=clinic_obj)
        open_counts = dict(flags.values_list("code").annotate(n=Count("id")).order_by())
        for code, label in FlagCode.choices:
            self.stdout.write(
                f"{code:<21} new {summary.raised.get(code, 0):>4}   open {open_counts.get(code, 0):>4}   {label}"
            )
        verb = "closed" if summary.written else "that would close"
        self.stdout.write(f"Flags {verb}: {summary.closed}; reopened: {summary.reopened}. "
                          f"Emails sent: {summary.notified}.")
