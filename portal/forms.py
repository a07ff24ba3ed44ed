"""Forms of the patient portal.

The self-report is asked in three short steps (portal/report_flow.py): where
does it hurt, how much (only for the places chosen), any warning signs. Each
step has its own small form; the last step checks the whole report with
SelfReportForm, the one definition of what a self-report may hold.
"""

from django import forms

from content.codes import CONTEXTS, LOCATIONS, PAIN_MAX, PAIN_MIN, SYMPTOMS, Context
from rehab import rules
from rehab.pain_grid import pain_field_name, pain_scores

PAIN_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(PAIN_MIN, PAIN_MAX + 1)]
PAIN_ERROR = "Choose a number from 0 (no pain) to 10 (worst pain imaginable), or leave it blank."
NOTHING_FILLED_IN = "nothing_filled_in"

# The portal asks "how much" when moving, when resting and at night, as the
# visit form does: a back/hip score of 7 or more in any context is a
# patient-reported pain flag (DESIGN 4.2), night pain included. Severe
# constant night pain is also asked as a warning sign (Symptom.CONSTANT_NIGHT_PAIN).
REPORT_CONTEXTS = (Context.ACTIVITY, Context.REST, Context.NIGHT)

# "Nowhere" is an answer to "where does it hurt?", not a place.
NOWHERE = "nowhere"
NOWHERE_LABEL = "Nowhere: nothing hurts today"


def pain_field(location, context) -> forms.TypedChoiceField:
    """One cell of the pain grid as the patient answers it: blank = not answered."""
    return forms.TypedChoiceField(
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=f"{location.patient_label}: {context.patient_label}",
        error_messages={"invalid_choice": PAIN_ERROR},
    )


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
                self.fields[pain_field_name(location.code, context.code)] = pain_field(location, context)

    def clean(self):
        data = super().clean()
        if not self.errors and not self.pain() and not data.get("symptoms"):
            raise forms.ValidationError(
                "Nothing was filled in. Choose a pain score or tick a statement, then send.",
                code=NOTHING_FILLED_IN,
            )
        return data

    def pain(self) -> list[rules.PainScore]:
        return pain_scores(self.cleaned_data)


class WhereForm(forms.Form):
    """Step 1: the places that hurt, or "nowhere"."""

    locations = forms.MultipleChoiceField(
        choices=[(code, location.patient_label) for code, location in LOCATIONS.items()]
        + [(NOWHERE, NOWHERE_LABEL)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Please tap only the places shown."},
    )

    def clean_locations(self) -> list[str]:
        chosen = self.cleaned_data["locations"]
        if not chosen:
            raise forms.ValidationError("Tap each place that hurts, or tap “Nowhere”, then tap Next.")
        if NOWHERE in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                "You tapped “Nowhere” and a place that hurts. Tap only the places that hurt, or only “Nowhere”."
            )
        return [code for code in LOCATIONS if code in chosen]  # the body's order, whatever the post's


class HowMuchForm(forms.Form):
    """Step 2: moving and resting scores for the places chosen in step 1, the
    same fields as SelfReportForm's. Each place needs at least one score."""

    def __init__(self, *args, locations: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.locations = [LOCATIONS[code] for code in locations]
        for location in self.locations:
            for context in REPORT_CONTEXTS:
                self.fields[pain_field_name(location.code, context)] = pain_field(location, CONTEXTS[context])

    def places(self):
        """[(location, [(context, bound field), ...]), ...] for the template."""
        return [
            (location, [(CONTEXTS[context], self[pain_field_name(location.code, context)])
                        for context in REPORT_CONTEXTS])
            for location in self.locations
        ]

    def clean(self):
        data = super().clean()
        for location in self.locations:
            names = [pain_field_name(location.code, context) for context in REPORT_CONTEXTS]
            if any(name in self.errors for name in names):
                continue
            if all(data.get(name) is None for name in names):
                self.add_error(names[0], f"{location.patient_label}: choose how much it hurts when moving, "
                                         "when resting or at night (one is enough).")
        return data

    def scores(self) -> dict[str, int]:
        """{field name: score} of the answers given, for the report kept in the session."""
        return {name: value for name, value in self.cleaned_data.items() if value is not None}

