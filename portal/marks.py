"""Ticking an exercise done on the portal (DESIGN 9): POST /p/<token>/done/.

A plain form per exercise, so it works without JavaScript: a button per mark
(done, too hard, it hurt) and one to undo. One mark per exercise per day;
another tap changes it. Only the exercises of the link's patient's plan can
be marked; anything else writes nothing and goes back to the page.
"""

import logging

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from content.codes import AdherenceStatus
from portal.views import portal_view
from rehab.adherence import NotInPlan, adherence_mark_record, adherence_mark_undo

log = logging.getLogger(__name__)

UNDO = "undo"


class MarkForm(forms.Form):
    exercise = forms.SlugField(max_length=120)
    status = forms.ChoiceField(choices=[*AdherenceStatus.choices, (UNDO, "Undo")])


# As for the self-report, the unguessable token in the URL does what a CSRF
# token would.
@csrf_exempt
@portal_view
def portal_mark(request, link, token):
    page = reverse("portal", kwargs={"token": token})
    if request.method != "POST":
        return redirect(page)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return redirect(f"{page}#today-title")
    code, status = form.cleaned_data["exercise"], form.cleaned_data["status"]
    try:
        if status == UNDO:
            adherence_mark_undo(patient=link.patient, exercise_code=code)
        else:
            adherence_mark_record(patient=link.patient, exercise_code=code, status=status)
    except NotInPlan:
        # A page from before the physio changed the plan: show the plan as it is now.
        log.info("Adherence mark refused: exercise not in the plan (portal link %s)", link.pk)
        return redirect(f"{page}#today-title")
    return redirect(f"{page}#exercise-{code}")
