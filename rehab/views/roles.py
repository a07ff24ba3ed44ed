"""Who may change data, and in which time zone pages speak.

Physios act on any patient of their clinic; clinic admins read the workspace
but cannot change clinical data (403).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils import timezone


def require_physio(user) -> None:
    if not getattr(user, "is_physio", False):
        raise PermissionDenied("Only physiotherapists can change clinical data.")


def can_act(user) -> bool:
    return getattr(user, "is_physio", False)


def clinic_timezone(view):
    """Show times in the clinic's time zone, as the rules use clinic dates."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        clinic = getattr(request.user, "clinic", None)
        if clinic is None:
            return view(request, *args, **kwargs)
        with timezone.override(clinic.tz):
            return view(request, *args, **kwargs)

    return wrapper
