"""The self-report, asked in three short steps on a phone:

1. /report/              where does it hurt? (the places, or "nowhere")
2. /report/how-much/     how much, moving and resting, for those places only
3. /report/warning-signs/ any of these warning signs? then Send

Each step checks its own answers and shows what is wrong at the top of that
step, by its own page after a redirect (portal.models.answers_keep), so the
browser's back button never lands on a form's response; answers wait in a draft on the server (portal/report_draft.py) and nothing is
written to the patient's record until step 3 is sent, through the same
SelfReportForm, self_report_submit and advice as ever (portal/self_reports.py).
"""

import logging

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content.codes import CONTEXTS, LOCATIONS, SYMPTOMS
from portal.forms import (
    NOTHING_FILLED_IN,
    NOWHERE,
    PAIN_CHOICES,
    REPORT_CONTEXTS,
    HowMuchForm,
    SelfReportForm,
    WhereForm,
)
from portal.models import answers_keep, answers_take
from portal.report_draft import ReportDraft, draft_clear, draft_load, draft_save
from portal.selectors import portal_frame
from portal.self_reports import DailyLimitReached, self_report_submit, unsaved_report_advice
from portal.views import advice_page, portal_view
from portal.wording import clinic_call
from rehab.pain_grid import pain_field_name

log = logging.getLogger(__name__)

PAIN_VALUES = [value for value, _ in PAIN_CHOICES if value != ""]
NOTHING_TO_SEND = ("Nothing to send yet: nothing hurts and no sign is ticked. Tick each sign you have noticed. "
                   "If all is well, you do not need to send a report.")


# The unguessable token in the URL already does what a CSRF token would: a
# third-party site cannot build a request to a URL it does not know.
@csrf_exempt
@portal_view
@require_http_methods(["GET", "HEAD", "POST"])
def portal_report(request, link, token):
    """Step 1: where does it hurt?"""
    draft = draft_load(request, link)
    if request.method == "POST" and "locations" not in request.POST and _one_page_report(request.POST):
        # A report from the one-page form this flow replaced (a tab left
        # open across the upgrade): taken whole rather than lost.
        form = SelfReportForm(request.POST)
        if form.is_valid() and (response := _send(request, link, token, form)):
            return response
        return redirect("portal_report", token=token)
    if request.method == "POST":
        form = WhereForm(request.POST)
        if form.is_valid():
            draft.choose_locations(form.cleaned_data["locations"])
            draft_save(request, link, draft)
            return redirect(draft.next_step(), token=token)
        answers_keep(link, WHERE, request.POST)
        return redirect("portal_report", token=token)
    if (again := answers_take(link, WHERE)) is not None:
        form = WhereForm(again)
        form.is_valid()
    else:
        chosen = draft.locations if draft.locations else ([NOWHERE] if draft.started() else [])
        form = WhereForm(initial={"locations": chosen})
    errors = [(message, "where") for message in form.errors.get("locations", [])]
    return _step(request, link, token, "portal/report_where.html", form, number=1, total=3, errors=errors,
                 nowhere=NOWHERE)


@csrf_exempt
@portal_view
@require_http_methods(["GET", "HEAD", "POST"])
def portal_report_pain(request, link, token):
    """Step 2: how much, for the places chosen in step 1."""
    draft = draft_load(request, link)
    if not draft.locations:  # step 1 not answered, or nothing hurts
        return redirect("portal_report" if not draft.started() else "portal_report_signs", token=token)
    if request.method == "POST":
        form = HowMuchForm(request.POST, locations=draft.locations)
        if form.is_valid():
            draft.pain = form.scores()
            draft_save(request, link, draft)
            return redirect("portal_report_signs", token=token)
        answers_keep(link, HOW_MUCH, request.POST)
        return redirect("portal_report_pain", token=token)
    if (again := answers_take(link, HOW_MUCH)) is not None:
        form = HowMuchForm(again, locations=draft.locations)
        form.is_valid()
    else:
        form = HowMuchForm(initial={name: str(score) for name, score in draft.pain.items()},
                           locations=draft.locations)
    errors = [(message, f"place-{location.code}")
              for location, cells in form.places() for _, field in cells for message in field.errors]
    return _step(request, link, token, "portal/report_pain.html", form, number=2, total=3, errors=errors,
                 pain_values=PAIN_VALUES, places_with_errors={anchor.removeprefix("place-") for _, anchor in errors})


@csrf_exempt
@portal_view
@require_http_methods(["GET", "HEAD", "POST"])
def portal_report_signs(request, link, token):
    """Step 3: any warning signs? Then the whole report is checked and sent.

    The page carries the scores it shows (hidden fields) and the POST is the
    whole report: a second tap on Send, arriving after the first has sent
    the report and dropped the draft, is the same report and reaches the
    same result page (self_report_submit), never an empty step 1.
    """
    draft = draft_load(request, link)
    if request.method != "POST" and draft.next_step() != "portal_report_signs":
        return redirect(draft.next_step(), token=token)
    nothing_filled_in = False
    if request.method == "POST" and request.POST.get("go") in GO_BACK_TO:
        # Back to an earlier step from this one: the signs ticked so far are
        # kept, and ticked again when the patient comes back here.
        draft.symptoms = [code for code in request.POST.getlist("symptoms") if code in SYMPTOMS]
        draft_save(request, link, draft)
        return redirect(GO_BACK_TO[request.POST["go"]], token=token)
    if request.method == "POST":
        form = SelfReportForm(request.POST)
        if form.is_valid() and (response := _send(request, link, token, form)):
            return response
        if form.has_error("__all__", NOTHING_FILLED_IN) and not draft.locations:
            # "Nothing hurts" and no sign: the patient is well, which is no error.
            draft_clear(request, link)
            return redirect("portal_report_well", token=token)
        if form.errors.keys() - {"__all__"} or form.has_error("__all__", NOTHING_FILLED_IN):
            answers_keep(link, SIGNS, request.POST)
            return redirect("portal_report_signs", token=token)
        nothing_filled_in = False  # not saved for today (_send said why): shown here
    elif (again := answers_take(link, SIGNS)) is not None:
        form = SelfReportForm(again)
        form.is_valid()
        nothing_filled_in = form.has_error("__all__", NOTHING_FILLED_IN)
    else:
        form = SelfReportForm(initial={"symptoms": draft.symptoms})
    if nothing_filled_in:
        # The whole form's "Nothing was filled in", in the words of this step.
        errors = [(NOTHING_TO_SEND, "signs")]
    else:
        errors = [(message, None) for message in form.non_field_errors()]
        errors += [(message, "signs") for message in form.errors.get("symptoms", [])]
    back = ("pain", "Back to “How much does it hurt?”") if draft.locations else (
        "where", "Back to “Where does it hurt?”")
    return _step(request, link, token, "portal/report_signs.html", form,
                 number=3, total=3, errors=errors,
                 pain_summary=_pain_summary(draft), pain_fields=sorted(draft.pain.items()),
                 back_to=back[0], back_text=back[1])


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_report_well(request, link, token):
    """"Nothing hurts" and no sign, sent: good to hear, and nothing was written."""
    context = portal_frame(link.patient)
    context.update(token=token, where_url=reverse("portal_report", kwargs={"token": token}))
    return render(request, "portal/report_nothing.html", context)


# The pages whose answers to correct are kept for their next GET (portal.models.answers_keep).
WHERE, HOW_MUCH, SIGNS = "report-where", "report-how-much", "report-signs"

# Step 3's ways back ("go"), each a button of its form so the ticks go too.
GO_BACK_TO = {"where": "portal_report", "pain": "portal_report_pain"}


def _one_page_report(post) -> bool:
    return "symptoms" in post or any(name.startswith("pain_") for name in post)


def _send(request, link, token, form):
    """Send a whole, valid report; the response to give, or None with the
    reason added to `form` when it could not be saved."""
    patient = link.patient
    pain, symptoms = form.pain(), form.cleaned_data["symptoms"]
    try:
        submission = self_report_submit(link=link, pain=pain, symptoms=symptoms)
    except DailyLimitReached:
        log.warning("Self-report not saved: daily limit reached on portal link %s", link.pk)
        draft_clear(request, link)
        # The report is not saved, but what it says still gets its advice.
        advice = unsaved_report_advice(patient=patient, pain=pain, symptoms=symptoms)
        return advice_page(request, patient, token, advice, saved=False)
    except ValidationError:
        form.add_error(None, f"Your report could not be saved today. Please {clinic_call(patient.clinic)}.")
        return None
    if submission.created:
        log.info("Self-report saved from portal link %s", link.pk)
    draft_clear(request, link)
    return redirect("portal_report_result", token=token, entry_id=submission.entry.pk)


def _pain_summary(draft: ReportDraft) -> list[dict]:
    """What step 2 said, for step 3's reminder: [{"place", "scores": [(context label, score)]}]."""
    return [
        {"place": LOCATIONS[location].patient_label,
         "scores": [(CONTEXTS[context].patient_label, draft.pain[pain_field_name(location, context)])
                    for context in REPORT_CONTEXTS if pain_field_name(location, context) in draft.pain]}
        for location in draft.locations or []
    ]


def _step(request, link, token, template, form, *, number, total, errors, **extra):
    context = portal_frame(link.patient)
    urls = {name: reverse(view, kwargs={"token": token}) for name, view in (
        ("home_url", "portal"), ("where_url", "portal_report"), ("pain_url", "portal_report_pain"),
    )}
    context.update(urls, token=token, form=form, step_number=number, step_total=total, errors=errors, **extra)
    return render(request, template, context)
