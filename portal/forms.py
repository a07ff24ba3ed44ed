"""Forms of the patient portal."""

from django import forms

from content.codes import CONTEXTS, LOCATIONS, PAIN_MAX, PAIN_MIN, SYMPTOMS
from rehab import rules
from rehab.pain_grid import pain_field_name, pain_scores

PAIN_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(PAIN_MIN, PAIN_MAX + 1)]
PAIN_ERROR = "Choose a number from 0 (no pain) to 10 (worst pain imaginable), or leave it blank."


class SelfReportForm(forms.Form):
    """Pain by location and context (blank = not answered) and the red-flag
    questions. Messages are for patients: plain words, no codes."""

    symptoms = forms.MultipleChoiceField(
        choices=[(code, symptom.question) for code, symptom in SYMPTOMS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Please tick only the statements shown."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for location in LOCATIONS.values():
            for context in CONTEXTS.values():
                self.fields[pain_field_name(location.code, context.code)] = forms.TypedChoiceField(
                    choices=PAIN_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    label=f"{location.patient_label}: {context.patient_label}",
                    error_messages={"invalid_choice": PAIN_ERROR},
                )

    def pain_rows(self):
        """[(location label, [(context label, bound field), ...]), ...] for the template."""
        return [
            (
                location.patient_label,
                [(context.patient_label, self[pain_field_name(location.code, context.code)])
                 for context in CONTEXTS.values()],
            )
            for location in LOCATIONS.values()
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.pain() and not data.get("symptoms"):
            raise forms.ValidationError(
                "Nothing was filled in. Choose a pain score or tick a statement, then send."
            )
        return data

    def pain(self) -> list[rules.PainScore]:
        return pain_scores(self.cleaned_data)
