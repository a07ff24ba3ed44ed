"""Clinic scoping for the Django admin, shared by every app's ModelAdmins.

A clinic admin sees and edits only their own clinic's rows; a superuser (the
service operator) sees everything. Permissions follow the staff role rather
than per-model Django permissions, so a new clinic admin needs no set-up.
"""


class ClinicScopedAdmin:
    #: The ORM path from the model to its clinic, e.g. "clinic" or "phase__clinic".
    clinic_path = "clinic"
    #: Clinic admins may edit these rows (False: read-only for them).
    clinic_admin_can_edit = True
    clinic_admin_can_delete = False

    def _is_clinic_admin(self, request):
        user = request.user
        return user.is_active and user.is_staff and getattr(user, "role", "") == "clinic_admin"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if not self._is_clinic_admin(request):
            return queryset.none()
        return queryset.filter(**{self.clinic_path: request.user.clinic_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            field.queryset = _scope_choices(field.queryset, request.user.clinic_id)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            field.queryset = _scope_choices(field.queryset, request.user.clinic_id)
        return field

    def has_module_permission(self, request):
        return request.user.is_superuser or self._is_clinic_admin(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._is_clinic_admin(request)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser or (
            self.clinic_admin_can_edit and self._is_clinic_admin(request)
        )

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or (
            self.clinic_admin_can_edit and self._is_clinic_admin(request)
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or (
            self.clinic_admin_can_delete and self._is_clinic_admin(request)
        )


def _scope_choices(queryset, clinic_id):
    """Limit a foreign-key dropdown to the user's clinic, for models that know it."""
    model = queryset.model
    for path in ("clinic", "phase__clinic", "patient__clinic", "entry__patient__clinic"):
        root = path.split("__")[0]
        if any(f.name == root for f in model._meta.get_fields()):
            return queryset.filter(**{path: clinic_id})
    if model._meta.label == "patients.Clinic":
        return queryset.filter(pk=clinic_id)
    return queryset


class ClinicScopedInline(ClinicScopedAdmin):
    """Inlines are scoped through their parent; only the permission rules apply."""

    def get_queryset(self, request):
        return super(ClinicScopedAdmin, self).get_queryset(request)
