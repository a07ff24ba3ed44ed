from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Programme"

    def ready(self):
        from rehab import content_cache, entries  # noqa: F401  (connect the entry → engine hook and the content cache's receivers)
