import sys

from django.core.management.base import BaseCommand, CommandError

from interchange.decoding import CaseloadFileError, caseload_file_parse, printable
from interchange.importer import caseload_import


class Command(BaseCommand):
    help = ("Import a caseload file (rehab-caseload/1, see INTERCHANGE.md). The whole file is validated "
            "first; it is written in one transaction, or not at all.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to import ('-' for standard input).")
        parser.add_argument("--clinic", help="Import into this clinic (slug); overrides the file's own.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, file, clinic=None, dry_run=False, **options):
        # The same reader and the same validation as the real run: a dry run
        # reports exactly the errors the import would.
        shown = printable(file)
        try:
            if file == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(file, "rb") as handle:
                    data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {shown}: {error.strerror}") from None
        try:
            document = caseload_file_parse(data=data)
        except CaseloadFileError as error:
            raise CommandError(f"{shown}: {error} Nothing was imported.") from None

        result = caseload_import(document, clinic_slug=clinic, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''}; nothing was imported.")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}Clinic {printable(result.clinic)}: {result.summary()}"))
