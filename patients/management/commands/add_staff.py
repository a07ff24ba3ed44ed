import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from patients.models import Clinic, User


class Command(BaseCommand):
    help = "Add a physiotherapist or clinic admin to a clinic."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--clinic", required=True, help="The clinic's slug.")
        parser.add_argument("--role", required=True, choices=[User.PHYSIO, User.CLINIC_ADMIN])
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-from-stdin", action="store_true",
            help="Read the password from standard input (for scripts); otherwise prompt for it.",
        )

    def handle(self, username, clinic, role, email, first_name, last_name, password_from_stdin, **options):
        try:
            clinic_obj = Clinic.objects.get(slug=clinic)
        except Clinic.DoesNotExist:
            raise CommandError(f"No clinic with the slug “{clinic}”. Create it with create_clinic first.") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The username “{username}” is already taken.")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"“{email}” is not a valid email address.") from None
        password = self._read_password(password_from_stdin)
        user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                    clinic=clinic_obj, role=role, is_staff=role == User.CLINIC_ADMIN)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password rejected: " + " ".join(error.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
        self.stdout.write(self.style.SUCCESS(
            f"Added {user.get_role_display().lower()} {username} to {clinic_obj.name}."
        ))

    def _read_password(self, from_stdin):
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        else:
            raise CommandError("No terminal to prompt for a password: use --password-from-stdin.")
        if not password:
            raise CommandError("The password is empty.")
        return password
