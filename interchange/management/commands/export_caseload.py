
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from interchange.csv_export import iter_caseload_csv
from interchange.exporter import iter_caseload_json
from interchange.fhir import iter_caseload_fhir
from patients.models import Clinic
from rehab.db_routers import REPLICA, replica_reads
from rehab.management.arguments import iso_date


class Command(BaseCommand):
    help = "Export a clinic's caseload as rehab-caseload/1 JSON, CSV (one row per pain score) or a FHIR R4 bundle."

    def add_arguments(self, parser):
        parser.add_argument("--clinic", help="The clinic's slug (optional when there is only one clinic).")
        parser.add_argument("--format", choices=("json", "csv", "fhir"), default="json")
        parser.add_argument("--as-of", type=iso_date, help="Evaluate the computed fields at this date (YYYY-MM-DD); default today.")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, clinic=None, format="json", as_of=None, output=None, **options):
        clinic_obj = self._clinic(clinic)

        if format == "csv":
            pieces = iter_caseload_csv(clinic_obj)
        elif format == "fhir":
            pieces = iter_caseload_fhir(clinic_obj)
        else:
            pieces = iter_caseload_json(clinic_obj, as_of=as_of)
        pieces = replica_reads(pieces)  # on the read replica when one is configured
        try:
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    for piece in pieces:
                        out.write(piece)
                self.stderr.write(f"Wrote {output}")
            else:
                for piece in pieces:
                    self.stdout.write(piece, ending="")
        except OperationalError as error:
            source = "the read replica (DATABASE_REPLICA_URL)" if REPLICA in settings.DATABASES else "the database"
            raise CommandError(f"Could not read the caseload from {source}: {error}".strip()) from None

    def _clinic(self, slug):
        if slug:
            try:
                return Clinic.objects.get(slug=slug)
            except Clinic.DoesNotExist:
                raise CommandError(f"No clinic with the slug “{slug}”.") from None
        clinics = list(Clinic.objects.all()[:2])
        if len(clinics) != 1:
            raise CommandError("Give --clinic SLUG (there is not exactly one clinic).")
        return clinics[0]
