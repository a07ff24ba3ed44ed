"""Clinic scoping for the Django admin, shared by every app's ModelAdmins.

A clinic admin sees and edits only their own clinic's rows; a superuser (the
service operator) sees everything. Permissions follow the staff role rather
than per-model Django permissions, so a new clinic admin needs no set-up.

Every way the admin reaches a row goes through the scoped queryset: the
change list and its filters, search, autocomplete, change, delete, and the
history pages (django-simple-history's list and its per-version form, whose
"revert" is a write and so passes the same permission checks as the change
form). Another clinic's row answers 404.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

CLINIC_PATHS = ("clinic", "phase__clinic", "patient__clinic", "entry__patient__clinic")


class LineEndingsField(forms.CharField):
    """A text box's text with one kind of line ending. Browsers send a
    textarea's lines with CR LF; stored text has LF. Without this a save that
    changed nothing is recorded in the history as a change of every line."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class ClinicScopedAdmin:
    #: The ORM path from the model to its clinic, e.g. "clinic" or "phase__clinic";
    #: "pk" for the Clinic model itself.
    clinic_path = "clinic"
    #: Clinic admins may edit these rows (False: read-only for them).
    clinic_admin_can_edit = True
    clinic_admin_can_delete = False

    def _is_clinic_admin(self, request):
        user = request.user
        return user.is_active and user.is_staff and getattr(user, "role", "") == "clinic_admin"

    def _clinic_filter(self, request, *, path=None):
        return {path or self.clinic_path: request.user.clinic_id}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if not self._is_clinic_admin(request):
            return queryset.none()
        return queryset.filter(**self._clinic_filter(request))

    def _in_clinic(self, request, obj) -> bool:
        """Whether `obj` (a row of this model) belongs to the user's clinic."""
        if obj is None or request.user.is_superuser:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._object_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._object_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def _object_or_404(self, request, object_id):
        """Django's admin answers a row missing from the user's queryset with
        a redirect to its index ("… doesn't exist. Perhaps it was deleted?");
        here it is a 404, as every other URL answers another clinic's row."""
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def get_list_filter(self, request):
        """Related-object filters list only the user's clinic's rows."""
        return [_scoped_filter(self.model, entry) for entry in super().get_list_filter(request)]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", LineEndingsField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidValuesAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            field.queryset = scope_choices(field.queryset, request.user.clinic_id)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            field.queryset = scope_choices(field.queryset, request.user.clinic_id)
        return field

    def has_module_permission(self, request):
        return request.user.is_superuser or self._is_clinic_admin(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or (self._is_clinic_admin(request) and self._in_clinic(request, obj))

    def has_add_permission(self, request, *args):
        return request.user.is_superuser or (
            self.clinic_admin_can_edit and self._is_clinic_admin(request)
        )

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or (
            self.clinic_admin_can_edit and self._is_clinic_admin(request) and self._in_clinic(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or (
            self.clinic_admin_can_delete and self._is_clinic_admin(request) and self._in_clinic(request, obj)
        )


class ValidValuesAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box shows a form sent back with its errors by
    looking up the value sent; a value that is no id at all ("abc", from a
    forged request) made that look-up a 500 instead of the field's "Select a
    valid choice"."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if _is_value_of(target, v)], attr)


def _is_value_of(field, value) -> bool:
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return "\x00" not in str(value)


def _scoped_filter(model, entry):
    """Swap Django's related-field filter for the clinic-scoped one."""
    if not isinstance(entry, str):
        return entry
    field = _last_field(model, entry)
    if field is not None and field.is_relation:
        return (entry, ClinicScopedRelatedFilter)
    return entry


def _last_field(model, path):
    field = None
    for name in path.split("__"):
        if field is not None:
            if not field.is_relation:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
    return field


class ClinicScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Offers only the related rows of the user's clinic (Django's own filter
    lists every row of the related table, other clinics' staff included)."""

    def field_choices(self, field, request, model_admin):
        limit = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else {}
        queryset = field.related_model._default_manager.complex_filter(limit)
        if not request.user.is_superuser:
            queryset = scope_choices(queryset, request.user.clinic_id)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def scope_choices(queryset, clinic_id):
    """Limit a queryset of choices to one clinic's rows. A model with no known
    path to a clinic offers nothing: better an empty dropdown than another
    clinic's rows."""
    model = queryset.model
    if model._meta.label == "patients.Clinic":
        return queryset.filter(pk=clinic_id)
    for path in CLINIC_PATHS:
        root = path.split("__")[0]
        if any(f.name == root for f in model._meta.get_fields()):
            return queryset.filter(**{path: clinic_id})
    return queryset.none()


class ClinicScopedHistoryAdmin(ClinicScopedAdmin, SimpleHistoryAdmin):
    """A clinic-scoped admin with django-simple-history's pages.

    The library's list view falls back to a row's history when the object is
    missing from the queryset, and its per-version form saves on POST after
    checking only view permission: both are closed here, before its code runs.
    """

    def history_view(self, request, object_id, extra_context=None):
        self._history_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        """A save that leaves the row as stored writes no history row
        ("Changed" with nothing changed tells the next reader nothing); a
        revert says which version it went back to."""
        if change and _as_stored(obj):
            obj.skip_history_when_saving = True
        reverted_to = getattr(request, "_reverted_to", None)
        if reverted_to is not None:
            local = timezone.localtime(reverted_to)
            obj._change_reason = f"Reverted to the version of {local.day} {local:%b %Y, %H:%M}"
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)

    def _in_clinic(self, request, obj) -> bool:
        """A deleted row (the library rebuilds it from its history to check
        permissions) is in the clinic when its history is."""
        if super()._in_clinic(request, obj):
            return True
        if self.model._default_manager.filter(pk=obj.pk).exists():
            return False  # it exists, in another clinic
        return self.get_history_queryset(
            request, self._history_manager(), self.model._meta.pk.attname, obj.pk).exists()

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        if request.user.is_superuser:
            return queryset
        # On the historical model the primary key is history_id: the Clinic's own id is "id".
        path = "id" if self.clinic_path == "pk" else self.clinic_path
        return queryset.filter(**self._clinic_filter(request, path=path))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._history_object_or_404(request, object_id)
        history = self.get_history_queryset(
            request, self._history_manager(), self.model._meta.pk.attname, obj.pk if obj else object_id
        )
        if not history.filter(history_id=version_id).exists():
            raise Http404
        if request.method == "POST" and (obj is None or self.revert_disabled(request, obj)):
            raise PermissionDenied("Reverting needs the same permission as changing the record.")
        if request.method == "POST":
            request._reverted_to = history.get(history_id=version_id).history_date
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def _history_object_or_404(self, request, object_id):
        """The live object in the user's clinic; None for a deleted one whose
        history lies in the clinic; otherwise 404."""
        try:
            object_id = self.model._meta.pk.to_python(object_id)
        except ValidationError:
            raise Http404 from None
        obj = self.get_object(request, str(object_id))
        if obj is not None:
            return obj
        if self.model._default_manager.filter(pk=object_id).exists():
            raise Http404  # it exists, in another clinic
        history = self.get_history_queryset(request, self._history_manager(), self.model._meta.pk.attname, object_id)
        if not history.exists():
            raise Http404
        return None

    def _history_manager(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute)


def _as_stored(obj) -> bool:
    """Whether every stored field of `obj` holds what its row holds now."""
    names = [field.attname for field in obj._meta.concrete_fields]
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*names).first()
    return stored is not None and all(getattr(obj, name) == stored[name] for name in names)


class ClinicScopedInline(ClinicScopedAdmin):
    """Inlines are scoped through their parent; only the permission rules apply."""

    def get_queryset(self, request):
        return super(ClinicScopedAdmin, self).get_queryset(request)

    def _in_clinic(self, request, obj) -> bool:
        # `obj` is the parent, already fetched through its scoped admin.
        return True
