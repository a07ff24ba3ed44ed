"""The self-report a patient is part-way through, kept on the server
(portal.models.PortalDraft).

Why a draft and not hidden fields: each step is a POST answered with a
redirect to the next step's GET page, so the browser's back button, a reload
or a phone that locks mid-report never asks "resubmit the form?" (the portal
sends no-store, so a POSTed page cannot come back from the cache); and a
patient who leaves the report to look at an exercise finds their answers
still there when they come back, the next day too. Drafts live in the
database, so a report goes on working with Redis down, as the rest of the
portal does.

A draft is kept per portal link, so two patients' links opened on one phone
never share answers; it is dropped when the report is sent (or refused for
the day) and otherwise after portal.models.DRAFT_DAYS. Nothing reaches the
patient's record before the last step is sent.
"""

from dataclasses import dataclass, field

from content.codes import LOCATIONS, SYMPTOMS
from portal.forms import REPORT_CONTEXTS
from portal.models import draft_drop, draft_read, draft_write
from rehab.pain_grid import pain_field_name


@dataclass
class ReportDraft:
    # None: step 1 not answered yet; []: "nowhere".
    locations: list[str] | None = None
    # {pain field name: score} for the places chosen (rehab.pain_grid names).
    pain: dict[str, int] = field(default_factory=dict)
    # The warning signs ticked on step 3, kept when the patient goes back to
    # change an earlier step.
    symptoms: list[str] = field(default_factory=list)

    def choose_locations(self, locations: list[str]) -> None:
        """Step 1 answered (again): keep the scores of the places still chosen."""
        kept = {pain_field_name(location, context) for location in locations for context in REPORT_CONTEXTS}
        self.locations = list(locations)
        self.pain = {name: score for name, score in self.pain.items() if name in kept}

    def unscored(self) -> list[str]:
        """The places chosen that have no score yet."""
        return [
            location for location in self.locations or []
            if all(pain_field_name(location, context) not in self.pain for context in REPORT_CONTEXTS)
        ]

    def next_step(self) -> str:
        """The URL name of the first step not answered yet."""
        if self.locations is None:
            return "portal_report"
        if self.unscored():
            return "portal_report_pain"
        return "portal_report_signs"

    def started(self) -> bool:
        return self.locations is not None


KEY = "report"


def draft_load(request, link) -> ReportDraft:
    return draft_from(draft_read(link, KEY))


def draft_from(stored: dict | None) -> ReportDraft:
    """The draft from what PortalDraft holds (None: no report begun)."""
    stored = stored or {}
    locations = stored.get("locations")
    if locations is not None:
        locations = [code for code in locations if code in LOCATIONS]
    pain = {name: score for name, score in (stored.get("pain") or {}).items() if isinstance(score, int)}
    symptoms = [code for code in stored.get("symptoms") or [] if code in SYMPTOMS]
    return ReportDraft(locations=locations, pain=pain, symptoms=symptoms)


def draft_save(request, link, draft: ReportDraft) -> None:
    draft_write(link, KEY, {"locations": draft.locations, "pain": draft.pain, "symptoms": draft.symptoms})


def draft_clear(request, link) -> None:
    draft_drop(link, KEY)
