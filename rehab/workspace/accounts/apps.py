from django.apps import AppConfig


class StaffAccountsConfig(AppConfig):
    """Staff sign-in, sessions and two-factor: an app only so that its signal
    receivers are connected at start-up."""

    name = "rehab.workspace.accounts"
    label = "staff_accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from rehab.workspace.accounts import signals  # noqa: F401  (session start, lockout log)
