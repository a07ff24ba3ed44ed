"""The flags the programme raises (DESIGN.md 4.2 and 4.3): one row per kind,
with its severity, the advice a physio reads and, for what a patient can
trigger from the portal, the advice the patient sees at once.

When a flag is raised is the rules' business (rehab/rules/); they read the
severity and advice from here. A new red flag is a row here plus its rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from content.codes import choices_from, table


class Severity(models.TextChoices):
    """Most urgent first: the position is the rank."""

    EMERGENCY = "emergency", "Emergency"
    SAME_DAY = "same_day", "Same day"
    URGENT = "urgent", "Urgent"
    REVIEW = "review", "Review"
    INFO = "info", "Info"

    @property
    def rank(self) -> int:
        """Sort key: lower is more urgent (emergency is 0)."""
        return list(type(self)).index(self)


# The rank of "no flag needing attention": after every severity.
NO_FLAG_RANK = len(Severity)


def severity_rank(severity: str) -> int:
    """The rank of a stored severity code; ValueError for an unknown one."""
    return Severity(severity).rank


# The heading a patient reads over advice of each severity (DESIGN 4.2): what
# to do and how soon, never "act today" over advice that can wait for a call.
PATIENT_ADVICE_HEADINGS = {
    Severity.EMERGENCY: "Go to the emergency department now, or call emergency services",
    Severity.SAME_DAY: "Get checked today",
    Severity.URGENT: "Contact your GP or physiotherapist soon",
    Severity.REVIEW: "Tell your physiotherapist",
}


class RaisedBy(models.TextChoices):
    ENTRY = "entry", "An entry (visit or self-report)"
    SWEEP = "sweep", "The periodic sweep"


@dataclass(frozen=True)
class FlagKind:
    code: str
    label: str
    severity: Severity
    advice: str  # for the physio
    patient_advice: str | None = None  # shown in the portal at once; None: not raised from the portal
    raised_by: RaisedBy = RaisedBy.ENTRY


FLAG_KINDS = table((
    FlagKind(
        "cauda_equina", "Possible cauda equina syndrome", Severity.EMERGENCY,
        advice=(
            "Send the patient to the emergency department now for assessment of possible cauda equina "
            "syndrome; do not wait for a routine appointment."
        ),
        patient_advice=(
            "Go to the emergency department now. Numbness in the saddle area or a change in bladder or "
            "bowel control can mean pressure on the nerves at the base of the spine, which needs "
            "treatment within hours. Do not wait for your next appointment."
        ),
    ),
    FlagKind(
        "pe_signs", "Possible pulmonary embolism", Severity.EMERGENCY,
        advice=(
            "Call emergency services now: new breathlessness or chest pain after surgery can be a "
            "pulmonary embolism. Do not wait for a routine appointment."
        ),
        patient_advice=(
            "Call emergency services now (for example 999 or 112). Sudden shortness of breath or chest "
            "pain after an operation can mean a blood clot in the lungs, which needs treatment straight "
            "away. Do not wait for your next appointment."
        ),
    ),
    FlagKind(
        "dvt_signs", "Signs of deep vein thrombosis", Severity.SAME_DAY,
        advice=(
            "Arrange a same-day medical assessment for possible deep vein thrombosis; ask about "
            "breathlessness or chest pain, which need emergency care for possible pulmonary embolism."
        ),
        patient_advice=(
            "Contact your physiotherapist or GP today; if you are short of breath or have chest pain, "
            "call emergency services. A swollen, warm or red calf after surgery can be a blood clot and "
            "needs checking the same day."
        ),
    ),
    FlagKind(
        "infection_signs", "Signs of infection", Severity.SAME_DAY,
        advice=(
            "Arrange a same-day assessment for possible infection, including of the prosthetic joint; "
            "contact the surgical team."
        ),
        patient_advice=(
            "Contact your surgical team, GP or physiotherapist today. A fever with joint pain after "
            "surgery can be an infection and needs checking the same day. If you feel very unwell, call "
            "emergency services."
        ),
    ),
    FlagKind(
        "motor_deficit", "Motor deficit", Severity.SAME_DAY,
        advice=(
            "Arrange a same-day neurological assessment: foot drop or rapidly worsening leg or foot "
            "weakness needs nerve root or spinal involvement ruled out today."
        ),
        patient_advice=(
            "Contact your GP, surgical team or physiotherapist today to be checked the same day. A "
            "dropping foot or a leg that is getting weaker needs the nerves checked without delay. If "
            "the weakness comes on suddenly, or affects your face, arm or speech, call emergency services."
        ),
    ),
    FlagKind(
        "night_pain", "Constant night pain", Severity.URGENT,
        advice=(
            "Arrange prompt medical investigation for non-mechanical pathology; severe constant night "
            "pain is not typical of mechanical back or hip pain."
        ),
        patient_advice=(
            "Contact your GP or physiotherapist within the next day or two. Pain that stays severe all "
            "night whatever position you are in should be looked into."
        ),
    ),
    FlagKind(
        "radicular_pain", "Radicular pain", Severity.REVIEW,
        advice="Carry out a lumbar assessment, including a neurological examination, at the next visit.",
        patient_advice=(
            "Tell your physiotherapist at your next visit, or sooner if it is getting worse. Pain or "
            "tingling running down the leg can come from the lower back and may need a change to your "
            "exercises."
        ),
    ),
    FlagKind(
        "late_implant_ache", "Late knee or thigh ache", Severity.REVIEW,
        advice=(
            "Refer for orthopaedic review; a weight-bearing knee X-ray is usually indicated for a new "
            "localised knee or thigh ache."
        ),
        patient_advice=(
            "Tell your physiotherapist so that they can arrange a check with your surgical team. A new "
            "ache in one spot near the new knee is usually checked with an X-ray."
        ),
    ),
    FlagKind(
        "hip_joint_mechanical", "Hip joint mechanical symptoms", Severity.REVIEW,
        advice="Refer for orthopaedic review and consider a hip X-ray to look for hip joint pathology.",
        patient_advice=(
            "Tell your physiotherapist so that they can arrange a check of your hip. Keep to movements "
            "that do not make the hip catch."
        ),
    ),
    FlagKind(
        "patient_reported_pain", "Patient reported high or rising pain", Severity.REVIEW,
        advice=(
            "Contact the patient within one working day; consider bringing the next visit forward."
        ),
        patient_advice=(
            "Thank you for telling us. Your physiotherapist will see that your pain is higher and will "
            "get in touch within one working day. Keep moving gently and follow your flare-up advice. "
            "If you also notice any of the warning signs on your page, follow that advice straight away."
        ),
    ),
    FlagKind(
        "plateau_12w", "No meaningful improvement at 12 weeks", Severity.REVIEW,
        advice=(
            "Carry out a comprehensive review of the diagnosis and the programme; pain has not improved "
            "meaningfully after 12 weeks of supervised rehab."
        ),
        raised_by=RaisedBy.SWEEP,
    ),
    FlagKind(
        "pain_regression", "Pain getting worse", Severity.REVIEW,
        advice=(
            "Review the patient soon: reassess the diagnosis, recent load and adherence, and screen again "
            "for red flags."
        ),
        raised_by=RaisedBy.SWEEP,
    ),
    FlagKind(
        "ready_to_progress", "Ready to progress", Severity.INFO,
        advice="Review the evidence and decide whether to move the patient on; nothing moves automatically.",
        raised_by=RaisedBy.SWEEP,
    ),
))
FlagCode = choices_from("FlagCode", FLAG_KINDS)
# Raised from an entry (one flag per entry) or by the sweep (one open flag
# per patient and code): the Flag model's constraints tell them apart.
ENTRY_FLAG_CODES = tuple(code for code, kind in FLAG_KINDS.items() if kind.raised_by == RaisedBy.ENTRY)
SWEEP_FLAG_CODES = tuple(code for code, kind in FLAG_KINDS.items() if kind.raised_by == RaisedBy.SWEEP)
