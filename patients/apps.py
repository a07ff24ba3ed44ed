from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Clinic and patients"

    def ready(self):
        from patients import signals  # noqa: F401  (connects the clinic-creation hook)
