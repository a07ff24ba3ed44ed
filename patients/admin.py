from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from content.admin_forms import clinic_owned_form
from content.admin_scoping import ClinicScopedHistoryAdmin, ClinicScopedInline
from patients import accounts
from patients.models import AssignedPlanItem, Clinic, Entry, EntrySymptom, PainScore, Patient, User

# Permissions follow the staff role (physio, clinic admin), never Django's
# groups: a group is not tied to a clinic, so it has no place in a clinic's admin.
admin.site.unregister(Group)
# django-otp's device admins list every clinic's devices: clinic admins reset
# a colleague's two-factor sign-in from the staff list instead.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedHistoryAdmin):
    clinic_path = "pk"
    list_display = ["name", "slug", "time_zone", "require_two_factor"]
    search_fields = ["name", "slug"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "time_zone", "require_two_factor")}),
        ("What patients see on their portal", {"fields": ("phone", "address", "opening_hours", "emergency_number")}),
    )

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # The slug names the clinic in import files and exports: only the
        # service operator changes it.
        return [] if request.user.is_superuser else ["slug"]


@admin.register(User)
class StaffAdmin(ClinicScopedHistoryAdmin, UserAdmin):
    """Clinic admins manage their own clinic's staff accounts."""

    def revert_disabled(self, request, obj=None):
        # A staff account's history leaves out the password: reverting would
        # rebuild the account from an incomplete copy.
        return True

    list_display = ["username", "first_name", "last_name", "email", "role", "is_active", "two_factor"]
    list_filter = ["role", "is_active"]
    actions = ["unlock_sign_in", "reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Clinic", {"fields": ("clinic", "role", "is_active", "is_staff")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("Clinic", {"fields": ("clinic", "role", "first_name", "last_name", "email")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["clinic", "is_staff"]
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A clinic admin's form has no clinic field: its staff are of their clinic.
        return form if request.user.is_superuser else clinic_owned_form(form, request.user.clinic_id)

    def get_queryset(self, request):
        confirmed_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed_app))

    @admin.display(boolean=True, description="two-factor", ordering="has_two_factor")
    def two_factor(self, obj):
        return obj.has_two_factor

    # The actions run on the changelist's queryset, which get_queryset has
    # already scoped to the admin's clinic: another clinic's user cannot be
    # selected, even by a forged POST.
    @admin.action(description="Unlock sign-in (after too many failed attempts)")
    def unlock_sign_in(self, request, queryset):
        if not queryset:
            return self._nothing_chosen(request)
        for user in queryset:
            accounts.sign_in_unlock(user=user, by=request.user)
            self.log_change(request, user, "Unlocked sign-in after failed attempts.")
        self.message_user(request, f"Unlocked sign-in for {_names(queryset)}.", messages.SUCCESS)

    @admin.action(description="Reset two-factor sign-in (lost phone)")
    def reset_two_factor(self, request, queryset):
        if not queryset:
            return self._nothing_chosen(request)
        for user in queryset:
            accounts.two_factor_disable(user=user, by=request.user)
            self.log_change(request, user, "Reset two-factor sign-in.")
        self.message_user(
            request,
            f"Reset two-factor sign-in for {_names(queryset)}. They sign in with their password alone"
            " until they set it up again (straight away, if the clinic requires it).",
            messages.SUCCESS,
        )

    def _nothing_chosen(self, request):
        """Only ids of another clinic's staff were sent (a forged request): nothing of theirs is touched."""
        self.message_user(request, "None of the chosen accounts is your clinic's: nothing was changed.",
                          messages.WARNING)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.clinic_id = request.user.clinic_id
            # Django-admin access follows the role: clinic admins only.
            obj.is_staff = obj.role == User.CLINIC_ADMIN
        super().save_model(request, obj, form, change)


def _names(users):
    return ", ".join(user.username for user in users)


class PainScoreInline(ClinicScopedInline, admin.TabularInline):
    model = PainScore
    extra = 0


class EntrySymptomInline(ClinicScopedInline, admin.TabularInline):
    model = EntrySymptom
    extra = 0


class EntryInline(ClinicScopedInline, admin.TabularInline):
    model = Entry
    fields = ["date", "kind", "notes"]
    readonly_fields = ["date", "kind", "notes"]
    show_change_link = True
    extra = 0
    can_delete = False


class AssignedPlanItemInline(ClinicScopedInline, admin.TabularInline):
    model = AssignedPlanItem
    extra = 0
    autocomplete_fields = ["exercise"]


class ClinicalRecordAdmin(ClinicScopedHistoryAdmin):
    """Clinical records are written by physios in the app; clinic admins read
    them here (with their audit history) but do not edit them."""

    clinic_admin_can_edit = False


@admin.register(Patient)
class PatientAdmin(ClinicalRecordAdmin):
    list_display = ["ref", "family_name", "given_name", "phase", "physio", "surgery_date"]
    list_filter = ["phase", "operated_side", "physio"]
    search_fields = ["ref", "family_name", "given_name"]
    inlines = [AssignedPlanItemInline, EntryInline]
    date_hierarchy = "programme_start"
    list_select_related = ["physio"]

    def history_view(self, request, object_id, extra_context=None):
        """The patient row's own changes here; visits, flags, phase moves and
        the plan are on the workspace's record history, linked at the top."""
        extra_context = {**(extra_context or {}),
                         "fuller_history_url": reverse("patient_history", args=[object_id]),
                         "fuller_history_label": "The whole record's history: visits, flags, phase moves, plan"}
        return super().history_view(request, object_id, extra_context)


@admin.register(Entry)
class EntryAdmin(ClinicalRecordAdmin):
    clinic_path = "patient__clinic"
    list_display = ["patient", "kind", "date", "recorded_by"]
    list_filter = ["kind", "date"]
    search_fields = ["patient__ref", "patient__family_name", "notes"]
    inlines = [PainScoreInline, EntrySymptomInline]
    list_select_related = ["patient", "recorded_by"]
