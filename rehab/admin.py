from django.contrib import admin

from content.admin_scoping import ClinicScopedHistoryAdmin
from rehab.flags import patients_urgency_refresh
from rehab.models import Flag, PhaseTransition


@admin.register(Flag)
class FlagAdmin(ClinicScopedHistoryAdmin):
    clinic_path = "patient__clinic"
    clinic_admin_can_edit = False
    list_display = ["patient", "code", "severity", "raised_at", "acknowledged_at", "closed_at"]
    list_filter = ["severity", "code", "acknowledged_at", "closed_at"]
    search_fields = ["patient__ref", "patient__family_name", "message"]
    list_select_related = ["patient"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        patients_urgency_refresh([obj.patient_id])  # the admin's own transaction holds it


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(ClinicScopedHistoryAdmin):
    clinic_path = "patient__clinic"
    clinic_admin_can_edit = False
    list_display = ["patient", "from_phase", "to_phase", "date", "moved_by"]
    list_filter = ["to_phase"]
    search_fields = ["patient__ref", "patient__family_name", "reason"]
    list_select_related = ["patient", "moved_by"]
