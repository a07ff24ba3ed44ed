import shutil
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError

from interchange.decoding import CaseloadFileError, printable
from interchange.importer import caseload_import_source
from interchange.stream import CaseloadSource


class Command(BaseCommand):
    help = ("Import a caseload file (rehab-caseload/1, see INTERCHANGE.md). The file is read one patient at a "
            "time and checked whole; it is written in one transaction, or not at all.")

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
                # Standard input can be read once; the import may read its file twice.
                with tempfile.TemporaryFile() as spool:
                    shutil.copyfileobj(sys.stdin.buffer, spool)
                    return self._import(CaseloadSource.of_file(spool), shown, clinic, dry_run)
            source = CaseloadSource.of_path(file)
        except OSError as error:
            raise CommandError(f"Cannot read {shown}: {error.strerror}") from None
        return self._import(source, shown, clinic, dry_run)

    def _import(self, source, shown, clinic, dry_run):
        try:
            result = caseload_import_source(source, clinic_slug=clinic, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {shown}: {error.strerror}") from None
        except CaseloadFileError as error:
            raise CommandError(f"{shown}: {error} Nothing was imported.") from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''}; nothing was imported.")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}Clinic {printable(result.clinic)}: {result.summary()}"))
        for line in result.phases_kept:
            self.stdout.write(self.style.WARNING(f"Phase kept, the file being older: {line}"))
