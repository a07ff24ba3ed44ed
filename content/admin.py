from django.contrib import admin

from content.admin_scoping import ClinicScopedHistoryAdmin, ClinicScopedInline
from content.models import EducationArticle, Exercise, ExitCriterion, Phase, PhaseTemplateItem


class ClinicOwnedAdmin(ClinicScopedHistoryAdmin):
    """For content rows that carry a clinic: new rows get the admin's clinic."""

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("clinic")
        return excluded

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and not change:
            obj.clinic_id = request.user.clinic_id
        super().save_model(request, obj, form, change)


class ExitCriterionInline(ClinicScopedInline, admin.TabularInline):
    model = ExitCriterion
    extra = 0


class PhaseTemplateItemInline(ClinicScopedInline, admin.TabularInline):
    model = PhaseTemplateItem
    extra = 1
    autocomplete_fields = ["exercise"]


@admin.register(Phase)
class PhaseAdmin(ClinicOwnedAdmin):
    list_display = ["name", "order", "typical_window", "goal"]
    list_filter = []
    inlines = [ExitCriterionInline, PhaseTemplateItemInline]
    readonly_fields = ["code", "order"]

    def has_add_permission(self, request, *args):
        # The three phases are fixed by the programme; their content is editable.
        return request.user.is_superuser


@admin.register(Exercise)
class ExerciseAdmin(ClinicOwnedAdmin):
    list_display = ["name", "dosage", "is_active"]
    list_filter = ["is_active", "template_items__phase__code"]
    search_fields = ["name", "purpose", "instructions"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "phasetemplateitem":
            # The template's exercise picker: retired exercises stay in the
            # templates that hold them but are not offered for new rows.
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates


@admin.register(EducationArticle)
class EducationArticleAdmin(ClinicOwnedAdmin):
    list_display = ["title", "audience", "section", "order", "is_active"]
    list_editable = ["section", "order", "is_active"]
    list_filter = ["audience", "section", "is_active"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


from content import admin_instruments  # noqa: E402, F401  (outcome questionnaires, DESIGN 9)
