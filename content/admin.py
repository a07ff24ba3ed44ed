from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import router

from content.admin_forms import ExitCriterionForm, ReadableUniqueInlineFormSet, clinic_owned_form
from content.admin_scoping import ClinicScopedHistoryAdmin, ClinicScopedInline
from content.measures import OUTCOME_MEASURES
from content.models import EducationArticle, Exercise, ExitCriterion, Phase, PhaseTemplateItem


class ClinicOwnedAdmin(ClinicScopedHistoryAdmin):
    """For content rows that carry a clinic: new rows get the admin's clinic."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return form if request.user.is_superuser else clinic_owned_form(form, request.user.clinic_id)

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("clinic")
        return excluded

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and not change:
            obj.clinic_id = request.user.clinic_id
        super().save_model(request, obj, form, change)


class ExitCriterionInline(ClinicScopedInline, admin.StackedInline):
    # Stacked, not a table: each field keeps its label and help in view, and
    # a row fits a phone.
    model = ExitCriterion
    form = ExitCriterionForm
    formset = ReadableUniqueInlineFormSet
    fields = ["measure", "instrument", "comparator", "threshold", "answer"]
    extra = 0
    # Nothing points at a criterion: readiness is worked out from the phase's
    # criteria at the time, and a phase move keeps its own snapshot of them.
    clinic_admin_can_delete = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # The phase's own clinic's questionnaires (the operator's too), less
            # the PSFS, KOOS JR and HOOS JR, which the measure list holds.
            field = formset.form.base_fields["instrument"]
            field.queryset = field.queryset.filter(clinic_id=obj.clinic_id).exclude(code__in=list(OUTCOME_MEASURES))
        return formset


class PhaseTemplateItemInline(ClinicScopedInline, admin.TabularInline):
    model = PhaseTemplateItem
    formset = ReadableUniqueInlineFormSet
    extra = 1
    autocomplete_fields = ["exercise"]
    # Patients' plans are copies of the template (AssignedPlanItem): removing
    # an exercise from the template leaves every existing plan as it is.
    clinic_admin_can_delete = True


@admin.register(Phase)
class PhaseAdmin(ClinicOwnedAdmin):
    list_display = ["name", "order", "typical_window", "goal"]
    list_filter = []
    inlines = [ExitCriterionInline, PhaseTemplateItemInline]
    readonly_fields = ["code", "order"]

    def has_add_permission(self, request, *args):
        # The three phases are fixed by the programme; their content is editable.
        return request.user.is_superuser

    def revert_disabled(self, request, obj=None):
        """A phase's versions hold its own text only, not its exit criteria
        or template: "reverting" one would say it restored what it did not."""
        return True

    def history_view(self, request, object_id, extra_context=None):
        """The phase's own changes, then those of its exit criteria and its
        template rows (each kept in its own history), newest first."""
        self._history_object_or_404(request, object_id)
        changes = []
        for model, label in ((ExitCriterion, "Exit criterion"), (PhaseTemplateItem, "Template")):
            rows = (model.history.filter(phase_id=object_id).select_related("history_user")
                    .order_by("-history_date")[:PART_HISTORY_LIMIT])
            for row in rows:
                changes.append({"date": row.history_date, "what": f"{label}: {row.history_object}",
                                "action": row.get_history_type_display(),
                                "by": str(row.history_user) if row.history_user else "Kinetic (automatic)",
                                "changes": _delta(row)})
        changes.sort(key=lambda change: change["date"], reverse=True)
        extra_context = {**(extra_context or {}), "part_changes": changes[:PART_HISTORY_LIMIT],
                         "part_changes_title": "Exit criteria and template"}
        return super().history_view(request, object_id, extra_context)


# The latest changes of a phase's criteria and template shown on its history page.
PART_HISTORY_LIMIT = 100


def _delta(row) -> list[str]:
    """"field: old → new" of a history row against the one before it."""
    if row.history_type != "~" or row.prev_record is None:
        return []
    return [f"{change.field}: {change.old} → {change.new}" for change in row.diff_against(row.prev_record).changes]


@admin.register(Exercise)
class ExerciseAdmin(ClinicOwnedAdmin):
    list_display = ["name", "code", "dosage", "is_active"]
    list_filter = ["is_active", "template_items__phase__code"]
    search_fields = ["name", "code", "purpose", "instructions"]
    actions = ["retire", "bring_back"]
    # An exercise no template or plan holds (a typing slip, a duplicate) may
    # be deleted; one in use is protected, and the delete page offers to
    # retire it instead (templates/admin/content/exercise/).
    clinic_admin_can_delete = True
    delete_confirmation_template = "admin/content/exercise/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/content/exercise/delete_selected_confirmation.html"

    class Media:
        css = {"all": ["css/admin-content.css"]}

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = exercise_uses(objs)
        return deleted, model_count, perms_needed, protected

    @admin.action(description="Retire the selected exercises (they stay in existing plans)",
                  permissions=["change"])
    def retire(self, request, queryset):
        names = self._set_active(request, queryset, active=False)
        if not names:
            self.message_user(request, "The selected exercises were already retired.", messages.INFO)
            return
        self.message_user(
            request,
            f"Retired {names}: they stay in the plans and templates that hold them, and are no longer"
            " offered for new ones.",
            messages.SUCCESS,
        )

    @admin.action(description="Bring the selected exercises back into use", permissions=["change"])
    def bring_back(self, request, queryset):
        names = self._set_active(request, queryset, active=True)
        if not names:
            self.message_user(request, "The selected exercises were already in use.", messages.INFO)
            return
        self.message_user(request, f"{names} can be added to plans and templates again.", messages.SUCCESS)

    def _set_active(self, request, queryset, *, active) -> str:
        """The names of the exercises changed, quoted: “Clamshells”, “Heel slides”."""
        # One save per exercise, so each change is in its history with who made it.
        changed = []
        for exercise in queryset.filter(is_active=not active):
            exercise.is_active = active
            exercise._change_reason = "Brought back into use" if active else "Retired"
            exercise.save(update_fields=["is_active"])
            self.log_change(request, exercise, exercise._change_reason)
            changed.append(exercise.name)
        return ", ".join(f"“{name}”" for name in changed)

    def get_readonly_fields(self, request, obj=None):
        # The code is made from the name when the exercise is created and
        # never changes after: caseload files name the exercise by it.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "code"] if obj is not None else readonly

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
    # Nothing points at an article (the portal reads the shown articles of each
    # section), and its history keeps the text: a clinic admin may delete one.
    # Unticking “shown” retires it, and ticking it again brings it back.
    clinic_admin_can_delete = True


def exercise_uses(exercises) -> list[str]:
    """What holds these exercises, in words and without patients' names:
    “the Rebuild template”, “the plans of 3 patients”."""
    exercises = list(exercises)
    collector = NestedObjects(using=router.db_for_write(Exercise))
    collector.collect(exercises)
    phases, patients, others = set(), set(), {}
    for row in collector.protected:
        if isinstance(row, PhaseTemplateItem):
            phases.add(row.phase.name)
        elif hasattr(row, "patient_id"):
            patients.add(row.patient_id)
        else:
            others[row._meta.verbose_name_plural] = others.get(row._meta.verbose_name_plural, 0) + 1
    uses = [f"the {name} template" for name in sorted(phases)]
    if patients:
        uses.append(f"the plans of {len(patients)} patient{'s' if len(patients) != 1 else ''}")
    uses += [f"{count} {name}" for name, count in sorted(others.items())]
    return uses


from content import admin_instruments  # noqa: E402, F401  (outcome questionnaires, DESIGN 9)
