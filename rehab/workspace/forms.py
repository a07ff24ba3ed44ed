"""Forms of the clinician workspace. They validate input only; writes go
through the services (rehab.entries, rehab.flags, rehab.phase_moves)."""

from __future__ import annotations

from django import forms

from content.codes import CONTEXTS, LOCATIONS, PAIN_MAX, PAIN_MIN, PHASE_ORDER, Phase, Symptom
from content.defaults import LOCATION_GUIDE
from content.flag_kinds import FlagCode
from content.measures import ENTRY_MEASURES
from patients.models import Entry, Patient
from rehab import rules
from rehab.pain_grid import pain_field_name, pain_scores
from rehab.workspace import selectors

YES, NO, NOT_ASSESSED = "yes", "no", ""
YES_NO_CHOICES = ((NOT_ASSESSED, "Not assessed"), (YES, "Yes"), (NO, "No"))
# The visit's measures (content.measures): numbers typed in, yes/no chosen.
NUMBER_MEASURES = tuple(code for code, m in ENTRY_MEASURES.items() if not m.is_bool)
BOOLEAN_MEASURES = tuple(code for code, m in ENTRY_MEASURES.items() if m.is_bool)


class DecimalCommaField(forms.DecimalField):
    """A decimal typed with a comma ("9,5", as many keyboards and habits
    write it) is read as 9.5."""

    def to_python(self, value):
        if isinstance(value, str) and value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


def _measure_input(measure, inputmode: str) -> forms.TextInput:
    """A text box, not a browser number box: a number box quietly drops what
    it cannot read ("9,5" reaches the server as 95 or as nothing), where a
    text box sends what was typed, for the field to read or refuse in words.
    The phone keypad follows `inputmode`; a measure that can be negative
    keeps the full keyboard (the number pads have no minus sign)."""
    attrs = {"autocomplete": "off"}
    if measure.min >= 0:
        attrs["inputmode"] = inputmode
    return forms.TextInput(attrs=attrs)


def measure_form_field(measure) -> forms.Field:
    """The form field of a number measure (content.measures): its limits and
    precision from the vocabulary, and one clear message for any bad value."""
    if measure.is_decimal:
        places = {1: "one decimal place"}.get(measure.decimals, f"{measure.decimals} decimal places")
        message = f"Enter {measure.range_text}, to {places} (for example 12.4)."
        return DecimalCommaField(
            label=measure.label, required=False, min_value=measure.min, max_value=measure.max,
            max_digits=len(str(int(measure.max))) + measure.decimals, decimal_places=measure.decimals,
            help_text=measure.help_text, widget=_measure_input(measure, "decimal"),
            error_messages={key: message for key in (
                "invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits",
            )},
        )
    message = f"Enter a whole number from {measure.range_text}."
    return forms.IntegerField(
        label=measure.label, required=False, min_value=measure.min, max_value=measure.max,
        help_text=measure.help_text, widget=_measure_input(measure, "numeric"),
        error_messages={key: message for key in ("invalid", "min_value", "max_value")},
    )


class CaseloadFilterForm(forms.Form):
    SCOPES = ((selectors.MINE, "My patients"), (selectors.CLINIC, "Whole clinic"))
    STATUSES = (
        (selectors.ACTIVE, "Active"),
        (selectors.DISCHARGED_ONLY, "Discharged"),
        (selectors.ALL, "Active and discharged"),
    )

    q = forms.CharField(label="Search", required=False, max_length=80,
                        widget=forms.TextInput(attrs={"placeholder": "Name or reference", "type": "search"}))
    scope = forms.ChoiceField(choices=SCOPES, required=False)
    phase = forms.ChoiceField(choices=[("", "Any phase"), *Phase.choices], required=False)
    flag = forms.ChoiceField(choices=[("", "Any flag"), *FlagCode.choices], required=False)
    physio = forms.TypedChoiceField(label="Physio", coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(choices=STATUSES, required=False)

    def __init__(self, *args, clinic, default_scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_scope = default_scope
        self.fields["physio"].choices = [("", "Any physio")] + [
            (u.pk, u.display_name) for u in selectors.clinic_physios(clinic)
        ]

    def filters(self) -> selectors.CaseloadFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.CaseloadFilters(
            scope=data.get("scope") or self.default_scope,
            phase=data.get("phase") or "",
            flag=data.get("flag") or "",
            physio_id=data.get("physio"),
            status=data.get("status") or selectors.ACTIVE,
            search=data.get("q") or "",
        )


class PatientDateMixin:
    """A form's `date` checked by the entry date rule (not before the
    surgery, not after the clinic's today) for its `patient`."""

    def clean_date(self):
        date = self.cleaned_data["date"]
        message = Entry.date_error(date, patient=self.patient)
        if message:
            raise forms.ValidationError(message)
        return date


class VisitForm(PatientDateMixin, forms.Form):
    """A visit: date, the pain grid (location × context), measures, the
    red-flag checklist and notes. A blank pain cell means not recorded."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    symptoms = forms.MultipleChoiceField(
        label="Red-flag checklist", choices=Symptom.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, patient: Patient, entry: Entry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.entry = entry
        for location in LOCATIONS.values():
            for context in CONTEXTS.values():
                self.fields[pain_field_name(location.code, context.code)] = forms.IntegerField(
                    label=f"{location.label}, {context.label.lower()}",
                    required=False, min_value=PAIN_MIN, max_value=PAIN_MAX,
                    # A text box, as the measures (_measure_input): a number box sent
                    # "0,5" as 5 and "4,5" as 45.
                    widget=forms.TextInput(attrs={
                        "inputmode": "numeric", "autocomplete": "off",
                        "class": "form-control form-control-sm pain-input",
                    }),
                    error_messages={
                        "max_value": "Pain is scored 0 to 10.", "min_value": "Pain is scored 0 to 10.",
                        "invalid": "Pain is scored 0 to 10, in whole numbers.",
                    },
                )
        for name in NUMBER_MEASURES:
            self.fields[name] = measure_form_field(ENTRY_MEASURES[name])
        for name in BOOLEAN_MEASURES:
            self.fields[name] = forms.ChoiceField(
                label=ENTRY_MEASURES[name].label, choices=YES_NO_CHOICES, required=False,
                widget=forms.RadioSelect,
            )
        if entry is not None and not self.is_bound:
            self.initial.update(self.initial_from(entry))
        elif not self.is_bound:
            self.initial.setdefault("date", patient.clinic.today())

    @staticmethod
    def initial_from(entry: Entry) -> dict:
        initial = {"date": entry.date, "notes": entry.notes,
                   "symptoms": [s.code for s in entry.symptoms.all()]}
        for p in entry.pain_scores.all():
            initial[pain_field_name(p.location, p.context)] = p.score
        for name in NUMBER_MEASURES:
            initial[name] = getattr(entry, name)
        for name in BOOLEAN_MEASURES:
            value = getattr(entry, name)
            initial[name] = NOT_ASSESSED if value is None else (YES if value else NO)
        return initial

    NOTHING_RECORDED = (
        "This visit is empty: record at least one pain score, a measure, a red-flag symptom or a note."
    )

    def clean(self):
        data = super().clean()
        # Only when every field read cleanly: a mistyped pain score is its own
        # error, not "nothing recorded".
        if not self.errors and not (
            self.pain() or any(v is not None for v in self.measures().values())
            or data.get("symptoms") or (data.get("notes") or "").strip()
        ):
            raise forms.ValidationError(self.NOTHING_RECORDED, code="nothing_recorded")
        return data

    def chosen_date(self) -> str:
        """The date in the date field as YYYY-MM-DD (typed or initial), "" if none."""
        value = self["date"].value()
        return value.isoformat() if hasattr(value, "isoformat") else (value or "")

    def pain_grid(self):
        """Rows of the grid for the template: (label, [(context label, bound field)])."""
        return [
            (location.label, [(context.label, self[pain_field_name(location.code, context.code)])
                              for context in CONTEXTS.values()])
            for location in LOCATIONS.values()
        ]

    @staticmethod
    def location_guide():
        """[(location label, likely source, aggravated by)]: the guide shown
        beside the pain grid (DESIGN 8)."""
        return [(location.label, LOCATION_GUIDE[code]["likely_source"], LOCATION_GUIDE[code]["aggravated_by"])
                for code, location in LOCATIONS.items()]

    def pain_errors(self):
        return [
            (self.fields[pain_field_name(loc, c)].label, self.errors[pain_field_name(loc, c)])
            for loc in LOCATIONS for c in CONTEXTS
            if pain_field_name(loc, c) in self.errors
        ]

    def measure_fields(self):
        return [self[name] for name in NUMBER_MEASURES if not ENTRY_MEASURES[name].is_performance_test]

    def performance_fields(self):
        """The performance tests (DESIGN 9), shown apart from the functional measures."""
        return [self[name] for name in NUMBER_MEASURES if ENTRY_MEASURES[name].is_performance_test]

    def boolean_fields(self):
        return [self[name] for name in BOOLEAN_MEASURES]

    # What the services take -------------------------------------------------

    def pain(self) -> list[rules.PainScore]:
        return pain_scores(self.cleaned_data)

    def measures(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in NUMBER_MEASURES}
        for name in BOOLEAN_MEASURES:
            answer = self.cleaned_data.get(name)
            values[name] = None if answer == NOT_ASSESSED else answer == YES
        return values


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What was done", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Add a note saying what was done."},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Add a note saying what was done.")
        return note


class PhaseMoveForm(forms.Form):
    to_phase = forms.ChoiceField(label="Move to", widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": "Give a reason for the move."},
    )
    expected_from = forms.CharField(widget=forms.HiddenInput)
    replace_plan = forms.BooleanField(
        label="Replace the plan with the new phase's exercises", required=False, initial=True,
        help_text="The patient's portal then shows the new phase's exercises at once. "
                  "Untick to keep the current plan and change it by hand.",
    )

    def __init__(self, *args, from_phase: str, red_flags=(), **kwargs):
        """`from_phase` is the phase the physio saw: a form posted after someone
        else moved the patient still validates, and the service reports the conflict.

        `red_flags` are the open, unacknowledged red flags: discharge needs a
        note acknowledging each (DESIGN 4.4), one field per flag."""
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].choices = phase_move_choices(from_phase)
        self.initial.setdefault("expected_from", from_phase)
        self.red_flags = list(red_flags)
        for flag in self.red_flags:
            self.fields[self.acknowledgement_field(flag)] = forms.CharField(
                label=f"What was done about “{flag.get_code_display()}”", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def acknowledgement_field(flag) -> str:
        return f"acknowledge_{flag.pk}"

    def red_flag_fields(self):
        """[(flag, bound note field)] for the template."""
        return [(flag, self[self.acknowledgement_field(flag)]) for flag in self.red_flags]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason for the move.")
        return reason

    def clean(self):
        data = super().clean()
        if data.get("to_phase") == Phase.DISCHARGED:
            for flag in self.red_flags:
                name = self.acknowledgement_field(flag)
                if not (data.get(name) or "").strip():
                    self.add_error(name, "Acknowledge this red flag (say what was done) before discharging.")
        return data

    def acknowledgements(self) -> dict:
        """{flag id: note} for the service."""
        return {flag.pk: self.cleaned_data.get(self.acknowledgement_field(flag), "") for flag in self.red_flags}


def phase_move_choices(phase: str) -> list[tuple[str, str]]:
    """Forward, back or discharge, worded as a physio would say it."""
    choices = []
    if phase in PHASE_ORDER:
        index = PHASE_ORDER.index(phase)
        if index + 1 < len(PHASE_ORDER):
            forward = PHASE_ORDER[index + 1]
            choices.append((forward, f"Forward to {forward.label}"))
        for back in reversed(PHASE_ORDER[:index]):
            choices.append((back, f"Back to {back.label}"))
        choices.append((Phase.DISCHARGED, "Discharge"))
    else:
        choices += [(code, f"Re-admit to {code.label}") for code in PHASE_ORDER]
    return choices


class PlanItemAddForm(forms.Form):
    exercise = forms.ModelChoiceField(queryset=None, label="Exercise", empty_label="Choose an exercise…")
    dosage = forms.CharField(
        max_length=160, required=False, label="Dosage",
        help_text="Leave blank to use the exercise's default dosage.",
    )
    note = forms.CharField(max_length=300, required=False, label="Personal note")

    def __init__(self, *args, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises


class PlanItemUpdateForm(forms.Form):
    dosage = forms.CharField(max_length=160, required=False, label="Dosage")
    note = forms.CharField(max_length=300, required=False, label="Personal note")
