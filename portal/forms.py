"""Forms of the patient portal."""

from django import forms

from content import codes
from portal.text import PATIENT_CONTEXT_LABELS, PATIENT_LOCATION_LABELS
from rehab import rules

PAIN_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(codes.PAIN_MIN, codes.PAIN_MAX + 1)]
PAIN_ERROR = "Choose a number from 0 (no pain) to 10 (worst pain imaginable), or leave it blank."


def pain_field_name(location: str, context: str) -> str:
    return f"pain_{location}_{context}"


class SelfReportForm(forms.Form):
    """Pain by location and context (blank = not answered) and the red-flag
    questions. Messages are for patients: plain words, no codes."""

    symptoms = forms.MultipleChoiceField(
        choices=[(code, codes.SYMPTOM_QUESTIONS[code]) for code, _ in codes.SYMPTOMS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Please tick only the statements shown."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for location, _ in codes.LOCATIONS:
            for context, _ in codes.CONTEXTS:
                self.fields[pain_field_name(location, context)] = forms.TypedChoiceField(
                    choices=PAIN_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    label=f"{PATIENT_LOCATION_LABELS[location]}: {PATIENT_CONTEXT_LABELS[context]}",
                    error_messages={"invalid_choice": PAIN_ERROR},
                )

    def pain_rows(self):
        """[(location label, [(context label, bound field), ...]), ...] for the template."""
        return [
            (
                PATIENT_LOCATION_LABELS[location],
                [(PATIENT_CONTEXT_LABELS[context], self[pain_field_name(location, context)])
                 for context, _ in codes.CONTEXTS],
            )
            for location, _ in codes.LOCATIONS
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.pain() and not data.get("symptoms"):
            raise forms.ValidationError(
                "Nothing was filled in. Choose a pain score or tick a statement, then send."
            )
        return data

    def pain(self) -> list[rules.PainScore]:
        return [
            rules.PainScore(location, context, self.cleaned_data[pain_field_name(location, context)])
            for location, _ in codes.LOCATIONS
            for context, _ in codes.CONTEXTS
            if self.cleaned_data.get(pain_field_name(location, context)) is not None
        ]
