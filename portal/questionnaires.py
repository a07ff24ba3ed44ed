"""Questionnaires on the portal (DESIGN.md §9): what is due, and one
questionnaire answered on one phone-friendly page.

/p/<token>/questionnaires/<code>/ shows the questions as a compact list of
big answer buttons (or, for the PSFS, the activities to name and rate).
"Save and finish later" keeps the answers given so far on the server
(portal.models.PortalDraft, for a week), so the patient can come back to
them, the next day or on another phone; "Send" checks every answer, shows what
is missing at the top of the page, and writes the administration through
patients.outcomes.record_outcome (the one write path, which scores it), or
nothing.
"""

import logging

from django import forms
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content.instruments import Instrument
from patients.models import AnsweredBy, OutcomeAdministration
from patients.outcomes import OutcomeError, baseline_activities
from portal.models import answers_keep, answers_take, draft_drop, draft_read, draft_write
from portal.selectors import portal_frame
from portal.views import page_not_found, portal_view
from rehab.entries import outcome_record
from rehab.outcomes import questionnaires_due

log = logging.getLogger(__name__)

SAVE_LATER = "later"
BACK_HOME = "home"
CHOOSE_AN_ANSWER = "Choose an answer."
CLEAR_OR_NAME = "Name the activity you rated, or tap “No rating” under it."
UNANSWERED_NAMED = 2  # more unanswered questions than this are summed up in one line at the top


def _draft_key(instrument) -> str:
    return f"questionnaire:{instrument.pk}"


class QuestionsForm(forms.Form):
    """One required choice per item, in the instrument's order."""

    def __init__(self, *args, items, options, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(option.value), option.label or str(option.value)) for option in options]
        self.items = items
        for n, item in enumerate(items, start=1):
            self.fields[f"q{n}"] = forms.TypedChoiceField(
                label=item.text, choices=choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": CHOOSE_AN_ANSWER},
            )

    def questions(self):
        """(stem shown above this question or "", bound field) in order; a stem is shown when it changes."""
        shown, rows = None, []
        for n, item in enumerate(self.items, start=1):
            stem = item.stem if item.stem and item.stem != shown else ""
            shown = item.stem or shown
            rows.append((stem, self[f"q{n}"]))
        return rows

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{n}"] for n in range(1, len(self.items) + 1)]


class ActivitiesForm(forms.Form):
    """The PSFS: name 3–5 activities and rate each 0–10, or re-rate the ones
    named the first time."""

    def __init__(self, *args, instrument, named, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.named = named
        self.low, self.high = instrument.min_items or 1, instrument.max_items or 1
        rows = len(named) or self.high
        choices = [(str(option.value), str(option.value)) for option in options]
        self.ends = (options[0], options[-1]) if options else None
        for n in range(1, rows + 1):
            if not named:
                self.fields[f"activity{n}"] = forms.CharField(
                    label=f"Activity {n}", max_length=120, required=False,
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
            self.fields[f"score{n}"] = forms.TypedChoiceField(
                label="How well can you do it now?", choices=choices, coerce=int, widget=forms.RadioSelect,
                required=False, empty_value=None,
            )

    def rows(self):
        """(number, activity name or its field, score field) per row."""
        return [
            (n, self.named[n - 1] if self.named else self[f"activity{n}"], self[f"score{n}"])
            for n in range(1, (len(self.named) or self.high) + 1)
        ]

    def clean(self):
        data = super().clean()
        given = 0
        for n, activity, _ in self.rows():
            name = activity if self.named else (data.get(f"activity{n}") or "").strip()
            score = data.get(f"score{n}")
            if name and score is None:
                self.add_error(f"score{n}", f"Rate “{name}” from 0 to 10.")
            elif score is not None and not name:
                self.add_error(f"activity{n}", CLEAR_OR_NAME)
            if name:
                given += 1
        if not self.named and given < self.low and not self.errors:
            raise forms.ValidationError(f"Name at least {self.low} activities you find hard, and rate each one.")
        return data

    def activities(self) -> list[dict]:
        out = []
        for n, activity, _ in self.rows():
            name = activity if self.named else (self.cleaned_data.get(f"activity{n}") or "").strip()
            if name:
                out.append({"activity": name, "score": self.cleaned_data.get(f"score{n}")})
        return out


def _form(instrument, data=None, initial=None, *, named):
    options = list(instrument.options.order_by("value"))
    if instrument.patient_named_items:
        return ActivitiesForm(data, initial=initial, instrument=instrument, named=named, options=options)
    return QuestionsForm(data, initial=initial, items=list(instrument.items.order_by("order")), options=options)


@csrf_exempt  # The unguessable token in the URL does what a CSRF token would (see portal.report_views).
@portal_view
@require_http_methods(["GET", "HEAD", "POST"])
def portal_questionnaire(request, link, token, code):
    patient = link.patient
    instrument = Instrument.objects.filter(clinic_id=patient.clinic_id, code=code, is_active=True).first()
    if instrument is None:  # the link works; the page does not exist
        return page_not_found(request, link, token)
    if OutcomeAdministration.objects.filter(patient=patient, instrument=instrument,
                                            date=patient.clinic.today()).exists():
        # Sent already today (a back button, an old tab): say so, before any
        # answers are given that could not be kept.
        return _after(request, link, token, code, saved=False, already=True)
    named = baseline_activities(patient, instrument) if instrument.patient_named_items else []
    key = _draft_key(instrument)
    again = answers_take(link, key) if request.method != "POST" else None
    kept = draft_read(link, key) if request.method != "POST" and again is None else None
    problems = []
    if request.method == "POST":
        fields = {name: value for name, value in request.POST.items() if name.startswith(("q", "activity", "score"))}
        if request.POST.get("action") == SAVE_LATER:
            draft_write(link, key, fields)
            return redirect("portal_questionnaire_saved", token=token, code=instrument.code)
        if request.POST.get("action") == BACK_HOME:
            # Leaving for the home page keeps what was answered, as "later" does.
            if any(value.strip() for value in fields.values()):
                draft_write(link, key, fields)
            else:  # every answer cleared: nothing to bring back next time
                draft_drop(link, key)
            return redirect("portal", token=token)
        form = _form(instrument, request.POST, named=named)
        if form.is_valid():
            try:
                if instrument.patient_named_items:
                    outcome_record(patient=patient, instrument=instrument, date=patient.clinic.today(),
                                   by=AnsweredBy.PATIENT, activities=form.activities())
                else:
                    outcome_record(patient=patient, instrument=instrument, date=patient.clinic.today(),
                                   by=AnsweredBy.PATIENT, answers=form.answers())
            except OutcomeError as error:
                problems = error.messages
            else:
                draft_drop(link, key)
                log.info("Questionnaire %s answered from portal link %s", instrument.code, link.pk)
                return redirect("portal_questionnaire_thanks", token=token, code=instrument.code)
        else:
            # Kept as a draft too: a reload of the page with the errors still has them.
            draft_write(link, key, fields)
            answers_keep(link, key, request.POST)
            return redirect("portal_questionnaire", token=token, code=instrument.code)
    elif again is not None:
        form = _form(instrument, again, named=named)
        form.is_valid()
    else:
        form = _form(instrument, initial=kept, named=named)
    errors = [(message, None) for message in form.non_field_errors()] + [(message, None) for message in problems]
    unanswered = [field for field in form if CHOOSE_AN_ANSWER in field.errors]
    summarised = set()
    if len(unanswered) > UNANSWERED_NAMED:
        # A wall of red lines tells an older patient less than one sentence
        # and a link to the first question to answer.
        first = unanswered[0]
        number = list(form.fields).index(first.name) + 1
        missing = (f"None of the {len(form.fields)} questions has an answer" if len(unanswered) == len(form.fields)
                   else f"{len(unanswered)} of {len(form.fields)} questions have no answer")
        errors.append((f"{missing} yet. Start with question {number}: {first.label}", first.auto_id))
        summarised = {field.name for field in unanswered}
    errors += [
        (f"{field.label}: {message}" if message == CHOOSE_AN_ANSWER else message, field.auto_id)
        for field in form if field.errors and field.name not in summarised for message in field.errors
    ]
    context = portal_frame(patient)
    context.update(token=token, instrument=instrument, form=form, errors=errors, named=named,
                   resumed=kept is not None)
    return render(request, "portal/questionnaire.html", context, status=200)


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_questionnaire_saved(request, link, token, code):
    return _after(request, link, token, code, saved=True)


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_questionnaire_thanks(request, link, token, code):
    return _after(request, link, token, code, saved=False)


def _after(request, link, token, code, *, saved, already=False):
    patient = link.patient
    instrument = Instrument.objects.filter(clinic_id=patient.clinic_id, code=code).first()
    if instrument is None:
        return page_not_found(request, link, token)
    context = portal_frame(patient)
    context.update(token=token, instrument=instrument, saved=saved, already=already,
                   still_due=[i for i, _ in questionnaires_due(patient, as_of=patient.clinic.today())
                              if i.pk != instrument.pk])
    return render(request, "portal/questionnaire_after.html", context)
