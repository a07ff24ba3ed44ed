from django.utils import timezone


class ClinicTimezoneMiddleware:
    """Staff pages show times in their clinic's time zone, as the rules use
    clinic dates; everyone else (the portal, the login page) gets UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        clinic = getattr(getattr(request, "user", None), "clinic", None)
        if clinic is None:
            return self.get_response(request)
        with timezone.override(clinic.tz):
            return self.get_response(request)
