"""The staff form for a questionnaire typed in from paper (DESIGN §9): one
form per instrument, built from its content rows. It validates through the
one scoring function (content.scoring), so the form, the portal and the
import refuse the same answers with the same words."""

from __future__ import annotations

from django import forms

from content.scoring import ScoringError, score_answers
from rehab.workspace.forms import PatientDateMixin


def item_field_name(index: int) -> str:
    return f"item_{index + 1}"


def activity_field_name(index: int) -> str:
    return f"activity_{index + 1}"


def rating_field_name(index: int) -> str:
    return f"rating_{index + 1}"


class OutcomeEntryForm(PatientDateMixin, forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, patient, instrument, baseline_activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.patient, self.instrument = patient, instrument
        self.spec = instrument.spec()
        self.baseline_activities = list(baseline_activities)
        options = list(instrument.options.all())
        if not self.is_bound:
            self.initial.setdefault("date", patient.clinic.today())
        if self.spec.patient_named_items:
            rows = len(self.baseline_activities) or self.spec.max_items
            for index in range(rows):
                name = activity_field_name(index)
                fixed = index < len(self.baseline_activities)
                self.fields[name] = forms.CharField(
                    label=f"Activity {index + 1}", max_length=120, required=False, disabled=fixed,
                    initial=self.baseline_activities[index] if fixed else "",
                )
                low, high = self.spec.options[0], self.spec.options[-1]
                self.fields[rating_field_name(index)] = forms.IntegerField(
                    label=f"Rating of activity {index + 1} ({low}–{high})", required=False,
                    widget=forms.NumberInput(attrs={"min": low, "max": high, "inputmode": "numeric",
                                                    "class": "form-control rating-input"}),
                    error_messages={"invalid": f"Rate from {self.spec.options_text}."},
                )
        else:
            choices = [(o.value, f"{o.value} – {o.label}" if o.label else str(o.value)) for o in options]
            for index, item in enumerate(instrument.items.all()):
                self.fields[item_field_name(index)] = forms.TypedChoiceField(
                    label=f"{index + 1}. {item.text}", choices=choices, coerce=int, required=False,
                    empty_value=None, widget=forms.RadioSelect, help_text=item.stem,
                    error_messages={"invalid_choice": (
                        f"Question {index + 1}: the answer must be {self.spec.options_text}."
                    )},
                )

    def responses(self) -> dict:
        """{"answers": [...]} or {"activities": [...]}, as record_outcome takes them."""
        data = self.cleaned_data
        if self.spec.patient_named_items:
            rows = []
            for index in range(len([n for n in self.fields if n.startswith("activity_")])):
                name = (data.get(activity_field_name(index)) or "").strip()
                rating = data.get(rating_field_name(index))
                if name or rating is not None:
                    rows.append({"activity": name, "score": rating})
            return {"activities": rows}
        return {"answers": [data.get(item_field_name(i)) for i in range(len(self.spec.items))]}

    def clean(self):
        """The answers are checked even when a field (the date, say) is
        wrong too, so that every problem shows at once, not in rounds; a
        field that already says what is wrong with it gets no second line."""
        data = super().clean()
        try:
            score_answers(self.spec, **self.responses())
        except ScoringError as error:
            self.add_problems([(where, message) for where, message in error.problems
                               if self._field_at(where) not in self.errors])
        return data

    def _field_at(self, where) -> str | None:
        """The field a scoring problem is about (None: the form as a whole)."""
        if where == "date":
            return "date"
        if isinstance(where, tuple):
            index, part = where
            name = activity_field_name(index) if part == "activity" else rating_field_name(index)
        elif isinstance(where, int):
            name = item_field_name(where)
        else:
            return None
        return name if name in self.fields else None

    def add_problems(self, problems):
        """Put each problem beside its field: an answer's by its question, an
        activity's by its rating, the date's by the date, the rest on top."""
        for where, message in problems:
            self.add_error(self._field_at(where), message)

    def activity_rows(self):
        return [(self[activity_field_name(i)], self[rating_field_name(i)])
                for i in range(len([n for n in self.fields if n.startswith("activity_")]))]

    def item_fields(self):
        return [self[name] for name in self.fields if name.startswith("item_")]
