from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control


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


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY ({feature: [allowed origins]}, an
    empty list for none) as the Permissions-Policy header."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in policy.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class StaffNoStoreMiddleware:
    """Every response to a signed-in user may show patient data (workspace
    pages, exports, the Django admin): no browser or proxy may keep a copy.

    Static files never reach this middleware (WhiteNoise answers them first)
    and keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
