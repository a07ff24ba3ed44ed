from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Programme"

    def ready(self):
        from rehab import entries  # noqa: F401  (connects the entry → engine hook)
