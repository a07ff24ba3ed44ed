"""Who may change data.

Physios act on any patient of their clinic; clinic admins read the workspace
but cannot change clinical data (403).
"""

from django.core.exceptions import PermissionDenied


def require_physio(user) -> None:
    if not getattr(user, "is_physio", False):
        raise PermissionDenied("Only physiotherapists can change clinical data.")


def can_act(user) -> bool:
    return getattr(user, "is_physio", False)
