from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from rehab.workspace.accounts import throttling  # noqa: F401  (connects the lockout log)
from rehab.workspace.accounts.sessions import session_start


@receiver(user_logged_in)
def start_staff_session(sender, request, user, **kwargs):
    session_start(request)
