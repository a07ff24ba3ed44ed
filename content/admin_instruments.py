"""The clinic admin's pages for outcome questionnaires and the performance
tests' minimal detectable change (DESIGN.md §9): a new instrument is added
here as data, its items, answer options and conversion table inline."""

from django.contrib import admin
from django.db.models import Count

from content.admin import ClinicOwnedAdmin
from content.admin_scoping import ClinicScopedInline
from content.instruments import (
    AnswerOption,
    ConversionRow,
    Instrument,
    InstrumentItem,
    MinimalDetectableChange,
)
from content.models import ExitCriterion


class InstrumentItemInline(ClinicScopedInline, admin.TabularInline):
    model = InstrumentItem
    extra = 1
    fields = ["order", "stem", "text", "loinc"]


class AnswerOptionInline(ClinicScopedInline, admin.TabularInline):
    model = AnswerOption
    extra = 1
    verbose_name_plural = "answer options (the values every item may take)"


class ConversionRowInline(ClinicScopedInline, admin.TabularInline):
    model = ConversionRow
    extra = 0
    verbose_name_plural = "conversion table (only from the instrument's primary scoring document)"


@admin.register(Instrument)
class InstrumentAdmin(ClinicOwnedAdmin):
    list_display = ["name", "code", "scoring", "meaningful_change", "is_active", "scheduled"]
    list_filter = ["scoring", "is_active"]
    search_fields = ["name", "code"]
    inlines = [InstrumentItemInline, AnswerOptionInline, ConversionRowInline]
    fieldsets = (
        (None, {"fields": ("clinic", "code", "name", "patient_title", "instructions", "order", "is_active",
                           "scheduled")}),
        ("Scoring", {"fields": (
            "scoring", "higher_is_better", "conversion_source", "meaningful_change", "meaningful_change_source",
        )}),
        ("Activities the patient names (PSFS-style)", {"fields": ("patient_named_items", "min_items", "max_items")}),
        ("LOINC", {"fields": ("loinc_panel", "loinc_score")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The code is how exports, imports and exit criteria name the
        # questionnaire: fixed once saved, like an exercise's.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "code"] if obj is not None else readonly

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = instrument_uses(objs)
        return deleted, model_count, perms_needed, protected

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        head, *rest = fieldsets
        fields = tuple(f for f in head[1]["fields"] if f != "clinic")
        return ((head[0], {**head[1], "fields": fields}), *rest)


@admin.register(MinimalDetectableChange)
class MinimalDetectableChangeAdmin(ClinicOwnedAdmin):
    list_display = ["measure", "value", "source"]
    list_filter = []


def instrument_uses(instruments) -> list[str]:
    """What keeps these questionnaires from being deleted, in words and
    without patients' names: “the Integrate exit criterion Oswestry ≥ 40”,
    “the answers of 3 patients”."""
    instruments = list(instruments)
    uses = [
        f"the {criterion.phase.name} exit criterion “{criterion}”"
        for criterion in ExitCriterion.objects.filter(instrument__in=instruments)
        .select_related("phase", "instrument").order_by("phase__order", "id")
    ]
    patients = Instrument.objects.filter(pk__in=[i.pk for i in instruments]).aggregate(
        n=Count("administrations__patient", distinct=True))["n"]
    if patients:
        uses.append(f"the answers of {patients} patient{'s' if patients != 1 else ''}")
    return uses
