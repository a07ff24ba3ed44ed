"""Forms of the content admin, for a clinic admin who is not technical.

An exit criterion is set the way it reads: a number with ≤ / ≥ for measures
counted in numbers (pain, minutes, seconds), Yes or No for yes/no measures —
never 1 and 0. Every message is in words: duplicates and out-of-range values
say what is wrong, never a constraint's name.
"""

from django import forms
from django.forms.models import BaseInlineFormSet

from content.codes import Comparator
from content.display import measure_name, measure_range
from content.measures import CRITERION_MEASURES, OUTCOME_MEASURES
from content.models import ExitCriterion

YES, NO = "yes", "no"


class ExitCriterionForm(forms.ModelForm):
    """Works inline under a phase and on its own: the Yes/No answer is mapped
    onto the stored threshold (1/0) and "=" in clean(), before the model's
    own validation runs."""

    comparator = forms.ChoiceField(
        label="Must be",
        choices=[("", "—"), *Comparator.choices],
        required=False,
        help_text="≤ at most, ≥ at least.",
    )
    threshold = forms.IntegerField(
        label="Number",
        required=False,
        help_text="Pain 0–10, or minutes, or seconds, as the measure says.",
        widget=forms.NumberInput(attrs={"class": "vIntegerField", "inputmode": "numeric"}),
    )
    answer = forms.ChoiceField(
        label="Or, for a yes/no measure",
        choices=[("", "—"), (YES, "Yes"), (NO, "No")],
        required=False,
        help_text="The answer that meets the criterion; “Must be” and “Number” stay empty.",
    )

    class Meta:
        model = ExitCriterion
        fields = ["measure", "instrument", "comparator", "threshold", "answer"]
        labels = {"instrument": "Or a questionnaire your clinic added"}
        help_texts = {
            "measure": "A measure taken at a visit, or the PSFS, KOOS JR or HOOS JR score.",
            "instrument": "Another questionnaire of your clinic (an Oswestry Disability Index, say): its latest "
                          "score in this phase is compared, as for the others. Leave “Measure” empty.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = CRITERION_MEASURES.get(self.instance.measure) if self.instance.pk else None
        if row is not None and row.is_bool:
            # Shown as the answer; the stored 1/0 and "=" stay out of sight.
            self.initial.update(answer=YES if self.instance.threshold else NO, threshold=None, comparator="")

    def clean(self):
        cleaned = super().clean()
        instrument = cleaned.get("instrument")
        if instrument is not None:
            if cleaned.get("measure"):
                self.add_error("instrument", "Choose a measure or a questionnaire: one of the two.")
                return cleaned
            return self._clean_questionnaire(cleaned, instrument)
        row = CRITERION_MEASURES.get(cleaned.get("measure"))
        if row is None:
            if not self.errors:
                self.add_error("measure", "Choose a measure, or a questionnaire your clinic added.")
            return cleaned
        name = measure_name(row.code)
        if row.is_bool:
            answer = cleaned.get("answer")
            if not answer:
                self.add_error("answer", f"{name} is a yes/no measure: choose Yes or No.")
                # The row keeps its stored target until an answer is chosen.
                cleaned.pop("threshold", None)
                cleaned.pop("comparator", None)
                return cleaned
            cleaned.update(threshold=1 if answer == YES else 0, comparator=Comparator.EQUALS)
            return cleaned
        if not cleaned.get("comparator"):
            self.add_error("comparator", f"Choose ≤ (at most) or ≥ (at least) for {name}.")
        threshold = cleaned.get("threshold")
        if threshold is None:
            if "threshold" not in self.errors:
                self.add_error("threshold", f"Enter a number: {name} {measure_range(row.code)}.")
            return cleaned
        error = ExitCriterion.threshold_error(row.code, cleaned.get("comparator"), threshold)
        if error:
            self.add_error("threshold", error)
        return cleaned


    def _clean_questionnaire(self, cleaned, instrument):
        """A questionnaire of the phase's clinic, in use, compared by ≥ or ≤
        with a score it can give (Instrument.criterion_problem)."""
        name = instrument.name
        phase = self.instance.phase if self.instance.phase_id else None
        if phase is not None and instrument.clinic_id != phase.clinic_id:
            self.add_error("instrument", "Choose one of your clinic's questionnaires.")
            return cleaned
        if instrument.code in OUTCOME_MEASURES:
            self.add_error("instrument", f"{name} is in the measure list: choose it under “Measure”.")
            return cleaned
        if not instrument.is_active and "instrument" in self.changed_data:
            self.add_error("instrument", f"{name} is retired: bring it back into use first, or choose another.")
            return cleaned
        if not cleaned.get("comparator"):
            self.add_error("comparator", f"Choose ≥ (at least) or ≤ (at most) for {name}.")
        threshold = cleaned.get("threshold")
        if threshold is None:
            if "threshold" not in self.errors:
                self.add_error("threshold", f"Enter the {name} score the patient must reach.")
            return cleaned
        if cleaned.get("comparator"):
            error = instrument.criterion_problem(cleaned["comparator"], threshold)
            if error:
                self.add_error("threshold", error)
        return cleaned


class ReadableUniqueInlineFormSet(BaseInlineFormSet):
    """Two rows of one inline that break a unique constraint are told so in
    the model's words (`unique_messages`), not Django's generic “Please
    correct the duplicate data for …”."""

    def get_unique_error_message(self, unique_check):
        message = getattr(self.model, "unique_messages", {}).get(tuple(unique_check))
        return message or super().get_unique_error_message(unique_check)


class ClinicOwnedFormMixin:
    """For the admin form of a row that belongs to a clinic, shown to a clinic
    admin without a clinic field: the row is the admin's clinic's from the
    start, so the constraints that involve the clinic ("one exercise of this
    name per clinic", "clinic staff have a role") are checked here and told
    next to the field, instead of failing in the database."""

    clinic_id = None  # set per request: see clinic_owned_form()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.clinic_id is None:
            self.instance.clinic_id = self.clinic_id

    def validate_unique(self):
        super().validate_unique()
        if "clinic" in self.fields:
            return  # validated with the other fields
        model = type(self.instance)
        for constraint in model._meta.constraints:
            fields = _constraint_fields(constraint)
            if "clinic" not in fields or fields & set(self.errors):
                continue
            try:
                constraint.validate(model, self.instance)
            except forms.ValidationError as error:
                others = sorted(fields - {"clinic"})
                self.add_error(others[0] if len(others) == 1 and others[0] in self.fields else None, error)


def _constraint_fields(constraint) -> set[str]:
    if getattr(constraint, "fields", None):
        return set(constraint.fields)
    condition = getattr(constraint, "condition", None)
    return set(condition.referenced_base_fields) if condition is not None else set()


def clinic_owned_form(form_class, clinic_id):
    """`form_class` for one request of a clinic admin of `clinic_id`."""
    return type(form_class.__name__, (ClinicOwnedFormMixin, form_class), {"clinic_id": clinic_id})
