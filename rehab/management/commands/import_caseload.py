import json
import sys

from django.core.management.base import BaseCommand, CommandError

from rehab.interchange.importer import caseload_import


class Command(BaseCommand):
    help = ("Import a caseload file (rehab-caseload/1, see INTERCHANGE.md). The whole file is validated "
            "first; it is written in one transaction, or not at all.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to import ('-' for standard input).")
        parser.add_argument("--clinic", help="Import into this clinic (slug); overrides the file's own.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, file, clinic=None, dry_run=False, **options):
        try:
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from None

        result = caseload_import(document, clinic_slug=clinic, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''}; nothing was imported.")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}Clinic {result.clinic}: {result.summary()}"))
