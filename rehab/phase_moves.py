"""Moving a patient between phases: forward, back, or discharge."""

from dataclasses import asdict

from django.db import transaction

from content.codes import Phase
from content.measures import json_value
from patients.models import Patient
from rehab import rules
from rehab.flags import flag_acknowledge, progress_flags_close_on_phase_move
from rehab.models import Flag, PhaseTransition
from rehab.outcomes import outcome_scores_by_patient
from rehab.plans import plan_assign_from_template
from rehab.record import entries_by_patient, exit_criteria_by_phase, phase_start_by_patient


class PhaseMoveConflict(Exception):
    """The patient was moved by someone else since the form was shown."""

    def __init__(self, transition):
        self.transition = transition
        who = transition.moved_by.display_name if transition and transition.moved_by else "someone else"
        super().__init__(
            f"This patient was just moved to {transition.get_to_phase_display() if transition else 'another phase'} "
            f"by {who}. Review the page and try again if still needed."
        )


class DischargeBlocked(Exception):
    """Open red flags must be acknowledged, each with a note, before discharge."""

    def __init__(self, flags):
        self.flags = list(flags)
        super().__init__(
            f"Acknowledge the {len(self.flags)} open red flag{'s' if len(self.flags) != 1 else ''} "
            "with a note before discharging."
        )


def discharge_blockers(patient: Patient):
    """The open, unacknowledged red flags that stand in the way of discharge, most urgent first."""
    flags = Flag.objects.filter(patient=patient).needs_attention().red_flags().select_related("entry")
    return sorted(flags, key=lambda flag: (flag.severity_rank, flag.raised_at))


def criteria_snapshot(patient: Patient, *, as_of) -> list[dict]:
    """The current phase's criteria results, as stored with a transition."""
    criteria = exit_criteria_by_phase([patient.clinic_id]).get((patient.clinic_id, patient.phase), [])
    entries = entries_by_patient([patient.pk]).get(patient.pk, [])
    outcomes = outcome_scores_by_patient([patient.pk]).get(patient.pk, [])
    results = rules.evaluate_criteria(criteria, entries, as_of=as_of, outcomes=outcomes,
                                      phase_start=phase_start_by_patient([patient])[patient.pk])
    snapshot = []
    for result in results:
        row = asdict(result)
        # A Timed Up and Go time or a questionnaire score is a Decimal: JSON holds it as a number.
        row["value"] = json_value(result.value)
        row["evidence_date"] = result.evidence_date.isoformat() if result.evidence_date else None
        row["evidence_entry_id"] = str(result.evidence_entry_id) if result.evidence_entry_id else None
        snapshot.append(row)
    return snapshot


def patient_move_phase(*, patient: Patient, to_phase: str, expected_from: str, reason: str, by,
                       acknowledgements=None, replace_plan: bool = False) -> PhaseTransition:
    """Move the patient, recording who, when, why and the criteria at that moment.

    The patient row is locked for the move, and `expected_from` is the phase
    the physio saw when deciding: if two physios move the same patient at the
    same moment, the second finds the phase changed and gets a
    PhaseMoveConflict instead of a second transition.

    Discharge (DESIGN 4.4) first acknowledges the open red flags with the
    notes in `acknowledgements` ({flag id: note}); if any is left
    unacknowledged, DischargeBlocked is raised and nothing changes. It then
    closes the plateau, regression and readiness flags.

    With `replace_plan`, the plan becomes the new phase's template in the same
    transaction, so the portal never shows the new phase over the old
    exercises (a discharge keeps the plan: the patient carries on with it).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give a reason for the move.")
    if to_phase not in Phase.values:
        raise ValueError(f"Unknown phase “{to_phase}”.")
    with transaction.atomic():
        locked = Patient.objects.select_for_update().select_related("clinic").get(pk=patient.pk)
        if locked.phase != expected_from:
            last = locked.phase_transitions.select_related("moved_by").first()
            raise PhaseMoveConflict(last)
        if to_phase == locked.phase:
            raise ValueError("The patient is already in that phase.")
        discharging = to_phase == Phase.DISCHARGED
        replace_plan = replace_plan and not discharging
        if discharging:
            _acknowledge_before_discharge(locked, acknowledgements or {}, by=by)
        today = locked.clinic.today()
        transition = PhaseTransition(
            patient=locked,
            from_phase=locked.phase,
            to_phase=to_phase,
            moved_by=by,
            date=today,
            reason=reason,
            criteria_snapshot=criteria_snapshot(locked, as_of=today),
            plan_replaced=replace_plan,
        )
        # The history names the physio also outside a request (shell, task).
        transition._history_user = by
        transition.save(force_insert=True)
        locked.phase = to_phase
        locked._history_user = by
        locked._change_reason = f"Phase move: {reason}"
        locked.save(update_fields=["phase", "updated_at"])
        progress_flags_close_on_phase_move(patient_id=locked.pk, discharged=discharging)
        if replace_plan:
            plan_assign_from_template(patient=locked, phase_code=to_phase)
    patient.phase = to_phase
    return transition


def _acknowledge_before_discharge(patient: Patient, notes: dict, *, by) -> None:
    for flag in discharge_blockers(patient):
        note = (notes.get(flag.pk) or "").strip()
        if note:
            flag_acknowledge(flag=flag, user=by, note=note, readiness=False)
    remaining = discharge_blockers(patient)
    if remaining:
        raise DischargeBlocked(remaining)
