"""Red flags raised from each entry (DESIGN.md 4.2).

Each rule looks at one entry (a visit or a self-report); the late implant
ache and the patient-reported pain also look back at the patient's other
entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from content.codes import (
    BACK_HIP_LOCATIONS,
    CONTEXTS,
    IMPLANT_LOCATIONS,
    LOCATIONS,
    SYMPTOMS,
    Context,
    Location,
    Symptom,
)
from content.flag_kinds import FLAG_KINDS, FlagCode

from .data import Entry, Finding

# The derived late implant ache: a new knee or thigh ache at least 12 weeks
# after surgery, after a settled spell, warrants a look at the implant.
LATE_ACHE_MIN_DAYS_AFTER_SURGERY = 84
LATE_ACHE_MIN_SCORE = 3
LATE_ACHE_LOOKBACK_DAYS = 28

# A patient's own report of severe pain (7/10 or more on the numeric rating
# scale), or of activity or rest pain 2 points above what the physio last
# recorded (the scale's minimal clinically important change), needs a call
# back: contact within one working day.
SELF_REPORT_SEVERE_PAIN = 7
SELF_REPORT_PAIN_RISE = 2


def entry_findings(entry: Entry, *, surgery_date: dt.date | None, history: Iterable[Entry]) -> list[Finding]:
    """Every red flag the entry raises, most urgent first.

    ``history`` is the patient's other entries of any kind; the entry itself
    may be among them and is skipped.
    """
    found = [
        _cauda_equina(entry),
        _pe_signs(entry),
        _dvt_signs(entry),
        _infection_signs(entry),
        _motor_deficit(entry),
        _night_pain(entry),
        _radicular_pain(entry),
        _late_implant_ache(entry, surgery_date, history),
        _hip_joint_mechanical(entry),
        _patient_reported_pain(entry, history),
    ]
    return [finding for finding in found if finding is not None]


def _finding(code: str, entry: Entry, message: str) -> Finding:
    kind = FLAG_KINDS[code]
    return Finding(
        code=kind.code,
        severity=kind.severity,
        message=message,
        advice=kind.advice,
        entry_id=entry.id,
        entry_date=entry.date,
    )


def _reported(entry: Entry, *symptoms: str) -> list[str]:
    """Labels of those ``symptoms`` the entry reports, in the order given."""
    return [SYMPTOMS[s].label for s in symptoms if s in entry.symptoms]


def _joined(labels: list[str]) -> str:
    """``["Foot drop", "Progressive leg weakness"]`` -> "Foot drop and progressive leg weakness"."""
    words = [labels[0]] + [label[0].lower() + label[1:] for label in labels[1:]]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _cauda_equina(entry: Entry) -> Finding | None:
    found = _reported(entry, Symptom.SADDLE_NUMBNESS, Symptom.BLADDER_BOWEL_CHANGE)
    if not found:
        return None
    return _finding(FlagCode.CAUDA_EQUINA, entry, f"{_joined(found)} reported.")


def _pe_signs(entry: Entry) -> Finding | None:
    found = _reported(entry, Symptom.BREATHLESSNESS, Symptom.CHEST_PAIN)
    if not found:
        return None
    return _finding(FlagCode.PE_SIGNS, entry, f"{_joined(found)} reported.")


def _dvt_signs(entry: Entry) -> Finding | None:
    signs = [
        word
        for symptom, word in (
            (Symptom.CALF_SWELLING, "swelling"),
            (Symptom.CALF_WARMTH, "warmth"),
            (Symptom.CALF_REDNESS, "redness"),
        )
        if symptom in entry.symptoms
    ]
    if not signs:
        return None
    message = f"Calf {', '.join(signs)} reported (operated leg)."
    return _finding(FlagCode.DVT_SIGNS, entry, message)


def _infection_signs(entry: Entry) -> Finding | None:
    if Symptom.FEVER not in entry.symptoms:
        return None
    highest = max((p.score for p in entry.pain), default=0)
    with_what = []
    if Symptom.JOINT_PAIN in entry.symptoms:
        with_what.append("joint pain")
    if highest >= 1:
        with_what.append(f"pain scored up to {highest}/10")
    if not with_what:
        return None
    message = f"Fever reported with {' and '.join(with_what)}."
    return _finding(FlagCode.INFECTION_SIGNS, entry, message)


def _night_pain(entry: Entry) -> Finding | None:
    if Symptom.CONSTANT_NIGHT_PAIN not in entry.symptoms:
        return None
    message = "Severe constant night pain reported, unchanged by position"
    if Symptom.WEIGHT_LOSS in entry.symptoms:
        message += ", with unexplained weight loss"
    return _finding(FlagCode.NIGHT_PAIN, entry, message + ".")


def _motor_deficit(entry: Entry) -> Finding | None:
    found = _reported(entry, Symptom.FOOT_DROP, Symptom.PROGRESSIVE_WEAKNESS)
    if not found:
        return None
    return _finding(FlagCode.MOTOR_DEFICIT, entry, f"{_joined(found)} reported.")


def _radicular_pain(entry: Entry) -> Finding | None:
    found = _reported(entry, Symptom.SHOOTING_LEG_PAIN, Symptom.NEW_NUMBNESS_TINGLING)
    if not found:
        return None
    return _finding(FlagCode.RADICULAR_PAIN, entry, f"{_joined(found)} reported.")


def _late_implant_ache(
    entry: Entry, surgery_date: dt.date | None, history: Iterable[Entry]
) -> Finding | None:
    reasons = []
    if Symptom.LATE_KNEE_THIGH_ACHE in entry.symptoms:
        reasons.append("New localised knee or thigh ache reported.")
    derived = _derived_late_ache(entry, surgery_date, history)
    if derived:
        reasons.append(derived)
    if not reasons:
        return None
    return _finding(FlagCode.LATE_IMPLANT_ACHE, entry, " ".join(reasons))


def _derived_late_ache(entry: Entry, surgery_date: dt.date | None, history: Iterable[Entry]) -> str | None:
    """Why the scores alone show a late implant ache, or None if they do not."""
    if surgery_date is None:
        return None
    days_after_surgery = (entry.date - surgery_date).days
    if days_after_surgery < LATE_ACHE_MIN_DAYS_AFTER_SURGERY:
        return None
    aches = [
        p for p in entry.pain if p.location in IMPLANT_LOCATIONS and p.score >= LATE_ACHE_MIN_SCORE
    ]
    if not aches:
        return None
    window_start = entry.date - dt.timedelta(days=LATE_ACHE_LOOKBACK_DAYS)
    prior_scores = [
        p.score
        for other in history
        if other is not entry
        and not (entry.id is not None and other.id == entry.id)
        and window_start <= other.date < entry.date
        for p in other.pain
        if p.location in IMPLANT_LOCATIONS
    ]
    if not prior_scores or any(score != 0 for score in prior_scores):
        return None
    worst = max(aches, key=lambda p: p.score)
    return (
        f"{LOCATIONS[worst.location].label} pain {worst.score}/10 on day "
        f"{days_after_surgery} after surgery, after knee and thigh scores of 0 "
        f"in the previous {LATE_ACHE_LOOKBACK_DAYS} days."
    )


def _hip_joint_mechanical(entry: Entry) -> Finding | None:
    if Symptom.HIP_CLICK_CATCHING not in entry.symptoms:
        return None
    hip = [p.score for p in entry.pain if p.location == Location.ANTERIOR_HIP]
    if max(hip, default=0) < 1:
        return None
    message = f"Hip clicking or catching reported with anterior hip pain {max(hip)}/10."
    return _finding(FlagCode.HIP_JOINT_MECHANICAL, entry, message)


def _patient_reported_pain(entry: Entry, history: Iterable[Entry]) -> Finding | None:
    """A self-report with severe back/hip pain, or with activity or rest pain
    clearly above the same location and context at the latest earlier visit."""
    if entry.is_visit:
        return None
    back_hip = [p for p in entry.pain if p.location in BACK_HIP_LOCATIONS]
    reasons = []
    severe = [p for p in back_hip if p.score >= SELF_REPORT_SEVERE_PAIN]
    if severe:
        worst = max(severe, key=lambda p: p.score)
        reasons.append(f"{_where(worst)} {worst.score}/10.")
    earlier_visits = [v for v in history if v.is_visit and v.date < entry.date]
    if earlier_visits:
        # The latest by date; same-date visits keep their given order, the last being the latest.
        last_visit = max(reversed(earlier_visits), key=lambda v: v.date)
        at_visit = {(p.location, p.context): p.score for p in last_visit.pain}
        for p in back_hip:
            before = at_visit.get((p.location, p.context))
            if (p.context in (Context.ACTIVITY, Context.REST) and before is not None
                    and p.score - before >= SELF_REPORT_PAIN_RISE):
                reasons.append(f"{_where(p)} {p.score}/10, up from {before}/10 at the visit of {last_visit.date}.")
    if not reasons:
        return None
    return _finding(FlagCode.PATIENT_REPORTED_PAIN, entry, "Self-report: " + " ".join(reasons))


def _where(pain) -> str:
    """``PainScore("lateral_hip", "rest", 5)`` -> "Lateral hip / outer thigh pain at rest"."""
    context = {Context.ACTIVITY: "on activity", Context.REST: "at rest", Context.NIGHT: "at night"}.get(
        pain.context, CONTEXTS[pain.context].label.lower()
    )
    return f"{LOCATIONS[pain.location].label} pain {context}"
