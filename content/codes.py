"""The stable vocabulary of Kinetic (DESIGN.md section 3).

Codes appear in imports, exports and the API, so they never change; labels
and advice text may. Choices are plain ``(code, label)`` tuples so that models
and forms can use them directly.
"""

# Phases ---------------------------------------------------------------------

NORMALISE = "normalise"
REBUILD = "rebuild"
INTEGRATE = "integrate"
DISCHARGED = "discharged"

PHASES = (
    (NORMALISE, "Normalise"),
    (REBUILD, "Rebuild"),
    (INTEGRATE, "Integrate"),
)
PATIENT_PHASES = PHASES + ((DISCHARGED, "Discharged"),)
PHASE_ORDER = (NORMALISE, REBUILD, INTEGRATE)

# Pain: where and when -------------------------------------------------------

ANTERIOR_HIP = "anterior_hip"
LATERAL_HIP = "lateral_hip"
BUTTOCK_SI = "buttock_si"
LUMBAR_BILATERAL = "lumbar_bilateral"
LUMBAR_UNILATERAL = "lumbar_unilateral"
ANTERIOR_THIGH = "anterior_thigh"
KNEE = "knee"

LOCATIONS = (
    (ANTERIOR_HIP, "Anterior hip / groin"),
    (LATERAL_HIP, "Lateral hip / outer thigh"),
    (BUTTOCK_SI, "Buttock / sacroiliac"),
    (LUMBAR_BILATERAL, "Lower back, both sides"),
    (LUMBAR_UNILATERAL, "Lower back, one side"),
    (ANTERIOR_THIGH, "Anterior thigh"),
    (KNEE, "Knee"),
)
# Knee and anterior thigh are recorded only for the implant rule; they never
# count as back/hip pain.
IMPLANT_LOCATIONS = frozenset({ANTERIOR_THIGH, KNEE})
BACK_HIP_LOCATIONS = frozenset(code for code, _ in LOCATIONS) - IMPLANT_LOCATIONS

REST = "rest"
ACTIVITY = "activity"
NIGHT = "night"

CONTEXTS = (
    (REST, "Rest"),
    (ACTIVITY, "Activity"),
    (NIGHT, "Night"),
)

PAIN_MIN = 0
PAIN_MAX = 10

# Functional measures and exit criteria --------------------------------------

MINUTES = "minutes"
SECONDS = "seconds"
BOOL = "bool"
SCORE = "score"

STANDING_TOLERANCE_MIN = "standing_tolerance_min"
WALK_WITHOUT_LIMP_MIN = "walk_without_limp_min"
GLUTE_BRIDGE_HOLD_S = "glute_bridge_hold_s"
GLUTE_BRIDGE_LUMBAR_SUBSTITUTION = "glute_bridge_lumbar_substitution"
CONTINUOUS_WALK_MIN = "continuous_walk_min"
GAIT_SYMMETRIC_VIDEO = "gait_symmetric_video"
ACTIVITY_PAIN = "activity_pain"
REST_PAIN = "rest_pain"

MEASURES = (
    (STANDING_TOLERANCE_MIN, "Standing tolerance without back pain increase (min)"),
    (WALK_WITHOUT_LIMP_MIN, "Walk without visible limp (min)"),
    (GLUTE_BRIDGE_HOLD_S, "Glute bridge hold (s)"),
    (GLUTE_BRIDGE_LUMBAR_SUBSTITUTION, "Lumbar substitution in glute bridge"),
    (CONTINUOUS_WALK_MIN, "Continuous walking (min)"),
    (GAIT_SYMMETRIC_VIDEO, "Symmetric gait on video"),
)
MEASURE_KINDS = {
    STANDING_TOLERANCE_MIN: MINUTES,
    WALK_WITHOUT_LIMP_MIN: MINUTES,
    GLUTE_BRIDGE_HOLD_S: SECONDS,
    GLUTE_BRIDGE_LUMBAR_SUBSTITUTION: BOOL,
    CONTINUOUS_WALK_MIN: MINUTES,
    GAIT_SYMMETRIC_VIDEO: BOOL,
}

CRITERION_MEASURES = MEASURES + (
    (ACTIVITY_PAIN, "Back/hip pain on activity (0-10)"),
    (REST_PAIN, "Back/hip pain at rest (0-10)"),
)
CRITERION_MEASURE_KINDS = {**MEASURE_KINDS, ACTIVITY_PAIN: SCORE, REST_PAIN: SCORE}
PAIN_MEASURES = frozenset({ACTIVITY_PAIN, REST_PAIN})

AT_MOST = "<="
AT_LEAST = ">="
EQUALS = "=="

COMPARATORS = (
    (AT_MOST, "≤"),
    (AT_LEAST, "≥"),
    (EQUALS, "="),
)

# Red-flag symptoms ----------------------------------------------------------

CALF_SWELLING = "calf_swelling"
CALF_WARMTH = "calf_warmth"
CALF_REDNESS = "calf_redness"
FEVER = "fever"
JOINT_PAIN = "joint_pain"
SADDLE_NUMBNESS = "saddle_numbness"
BLADDER_BOWEL_CHANGE = "bladder_bowel_change"
CONSTANT_NIGHT_PAIN = "constant_night_pain"
WEIGHT_LOSS = "weight_loss"
FOOT_DROP = "foot_drop"
PROGRESSIVE_WEAKNESS = "progressive_weakness"
SHOOTING_LEG_PAIN = "shooting_leg_pain"
NEW_NUMBNESS_TINGLING = "new_numbness_tingling"
LATE_KNEE_THIGH_ACHE = "late_knee_thigh_ache"
HIP_CLICK_CATCHING = "hip_click_catching"

SYMPTOMS = (
    (CALF_SWELLING, "Calf swelling (operated leg)"),
    (CALF_WARMTH, "Calf warmth (operated leg)"),
    (CALF_REDNESS, "Calf redness (operated leg)"),
    (FEVER, "Fever"),
    (JOINT_PAIN, "Joint pain"),
    (SADDLE_NUMBNESS, "Saddle numbness"),
    (BLADDER_BOWEL_CHANGE, "New bladder or bowel dysfunction"),
    (CONSTANT_NIGHT_PAIN, "Severe constant night pain, unchanged by position"),
    (WEIGHT_LOSS, "Unexplained weight loss"),
    (FOOT_DROP, "Foot drop"),
    (PROGRESSIVE_WEAKNESS, "Progressive leg weakness"),
    (SHOOTING_LEG_PAIN, "Shooting leg pain"),
    (NEW_NUMBNESS_TINGLING, "New numbness or tingling in the leg"),
    (LATE_KNEE_THIGH_ACHE, "New localised knee or thigh ache after a pain-free period"),
    (HIP_CLICK_CATCHING, "Hip clicking or catching"),
)
SYMPTOM_QUESTIONS = {
    CALF_SWELLING: "Swelling in the calf of your operated leg",
    CALF_WARMTH: "The calf of your operated leg feels warm or hot to touch",
    CALF_REDNESS: "Redness on the calf of your operated leg",
    FEVER: "A fever, or feeling hot and shivery",
    JOINT_PAIN: "New or worsening pain in your operated knee joint",
    SADDLE_NUMBNESS: "Numbness around your bottom, genitals or inner thighs (the 'saddle' area)",
    BLADDER_BOWEL_CHANGE: (
        "Trouble passing urine, leaking urine or stool, or not feeling when you need to go"
    ),
    CONSTANT_NIGHT_PAIN: (
        "Severe pain at night that is there all the time and does not ease when you change position"
    ),
    WEIGHT_LOSS: "Losing weight without trying",
    FOOT_DROP: "Your foot drops or slaps down, or your toes catch when you walk",
    PROGRESSIVE_WEAKNESS: "A leg that is getting weaker day by day",
    SHOOTING_LEG_PAIN: "Pain that shoots down your leg, below the knee",
    NEW_NUMBNESS_TINGLING: "New numbness, tingling or pins and needles in your leg or foot",
    LATE_KNEE_THIGH_ACHE: (
        "A new ache in one spot of your knee or thigh, after a time when it had stopped hurting"
    ),
    HIP_CLICK_CATCHING: "Your hip clicks, catches or locks when you move",
}

# Flags ----------------------------------------------------------------------

CAUDA_EQUINA = "cauda_equina"
DVT_SIGNS = "dvt_signs"
INFECTION_SIGNS = "infection_signs"
NIGHT_PAIN = "night_pain"
MOTOR_DEFICIT = "motor_deficit"
RADICULAR_PAIN = "radicular_pain"
LATE_IMPLANT_ACHE = "late_implant_ache"
HIP_JOINT_MECHANICAL = "hip_joint_mechanical"
PLATEAU_12W = "plateau_12w"
PAIN_REGRESSION = "pain_regression"
READY_TO_PROGRESS = "ready_to_progress"

RED_FLAG_CODES = (
    CAUDA_EQUINA,
    DVT_SIGNS,
    INFECTION_SIGNS,
    NIGHT_PAIN,
    MOTOR_DEFICIT,
    RADICULAR_PAIN,
    LATE_IMPLANT_ACHE,
    HIP_JOINT_MECHANICAL,
)

FLAG_CODES = (
    (CAUDA_EQUINA, "Possible cauda equina syndrome"),
    (DVT_SIGNS, "Signs of deep vein thrombosis"),
    (INFECTION_SIGNS, "Signs of infection"),
    (NIGHT_PAIN, "Constant night pain"),
    (MOTOR_DEFICIT, "Motor deficit"),
    (RADICULAR_PAIN, "Radicular pain"),
    (LATE_IMPLANT_ACHE, "Late knee or thigh ache"),
    (HIP_JOINT_MECHANICAL, "Hip joint mechanical symptoms"),
    (PLATEAU_12W, "No meaningful improvement at 12 weeks"),
    (PAIN_REGRESSION, "Pain getting worse"),
    (READY_TO_PROGRESS, "Ready to progress"),
)

EMERGENCY = "emergency"
SAME_DAY = "same_day"
URGENT = "urgent"
REVIEW = "review"
INFO = "info"

# Most urgent first; the position is the rank.
SEVERITIES = (
    (EMERGENCY, "Emergency"),
    (SAME_DAY, "Same day"),
    (URGENT, "Urgent"),
    (REVIEW, "Review"),
    (INFO, "Info"),
)
_SEVERITY_RANK = {code: rank for rank, (code, _) in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """Sort key for a severity: lower is more urgent (emergency is 0)."""
    try:
        return _SEVERITY_RANK[severity]
    except KeyError:
        raise ValueError(f"unknown severity {severity!r}") from None


FLAG_SEVERITY = {
    CAUDA_EQUINA: EMERGENCY,
    DVT_SIGNS: SAME_DAY,
    INFECTION_SIGNS: SAME_DAY,
    NIGHT_PAIN: URGENT,
    MOTOR_DEFICIT: URGENT,
    RADICULAR_PAIN: REVIEW,
    LATE_IMPLANT_ACHE: REVIEW,
    HIP_JOINT_MECHANICAL: REVIEW,
    PLATEAU_12W: REVIEW,
    PAIN_REGRESSION: REVIEW,
    READY_TO_PROGRESS: INFO,
}

FLAG_ADVICE = {
    CAUDA_EQUINA: (
        "Send the patient to the emergency department now for assessment of possible cauda equina "
        "syndrome; do not wait for a routine appointment."
    ),
    DVT_SIGNS: (
        "Arrange a same-day medical assessment for possible deep vein thrombosis; ask about "
        "breathlessness or chest pain, which need emergency care for possible pulmonary embolism."
    ),
    INFECTION_SIGNS: (
        "Arrange a same-day assessment for possible infection, including of the prosthetic joint; "
        "contact the surgical team."
    ),
    NIGHT_PAIN: (
        "Arrange prompt medical investigation for non-mechanical pathology; severe constant night "
        "pain is not typical of mechanical back or hip pain."
    ),
    MOTOR_DEFICIT: (
        "Arrange a prompt neurological assessment and refer for investigation of nerve root or spinal "
        "involvement."
    ),
    RADICULAR_PAIN: (
        "Carry out a lumbar assessment, including a neurological examination, at the next visit."
    ),
    LATE_IMPLANT_ACHE: (
        "Refer for orthopaedic review; a weight-bearing knee X-ray is usually indicated for a new "
        "localised knee or thigh ache."
    ),
    HIP_JOINT_MECHANICAL: (
        "Refer for orthopaedic review and consider a hip X-ray to look for hip joint pathology."
    ),
    PLATEAU_12W: (
        "Carry out a comprehensive review of the diagnosis and the programme; pain has not improved "
        "meaningfully after 12 weeks of supervised rehab."
    ),
    PAIN_REGRESSION: (
        "Review the patient soon: reassess the diagnosis, recent load and adherence, and screen again "
        "for red flags."
    ),
    READY_TO_PROGRESS: (
        "Review the evidence and decide whether to move the patient on; nothing moves automatically."
    ),
}

# What a patient sees at once after answering yes to a red-flag question.
FLAG_PATIENT_ADVICE = {
    CAUDA_EQUINA: (
        "Go to the emergency department now. Numbness in the saddle area or a change in bladder or "
        "bowel control can mean pressure on the nerves at the base of the spine, which needs "
        "treatment within hours. Do not wait for your next appointment."
    ),
    DVT_SIGNS: (
        "Contact your physiotherapist or GP today; if you are short of breath or have chest pain, "
        "call emergency services. A swollen, warm or red calf after surgery can be a blood clot and "
        "needs checking the same day."
    ),
    INFECTION_SIGNS: (
        "Contact your surgical team, GP or physiotherapist today. A fever with joint pain after "
        "surgery can be an infection and needs checking the same day. If you feel very unwell, call "
        "emergency services."
    ),
    NIGHT_PAIN: (
        "Contact your GP or physiotherapist within the next day or two. Pain that stays severe all "
        "night whatever position you are in should be looked into."
    ),
    MOTOR_DEFICIT: (
        "Contact your GP or physiotherapist within the next day or two. A dropping foot or a leg that "
        "is getting weaker needs the nerves checked promptly. If it is getting worse quickly, go to "
        "the emergency department."
    ),
    RADICULAR_PAIN: (
        "Tell your physiotherapist at your next visit, or sooner if it is getting worse. Pain or "
        "tingling running down the leg can come from the lower back and may need a change to your "
        "exercises."
    ),
    LATE_IMPLANT_ACHE: (
        "Tell your physiotherapist so that they can arrange a check with your surgical team. A new "
        "ache in one spot near the new knee is usually checked with an X-ray."
    ),
    HIP_JOINT_MECHANICAL: (
        "Tell your physiotherapist so that they can arrange a check of your hip. Keep to movements "
        "that do not make the hip catch."
    ),
}

# Entries and surgery --------------------------------------------------------

VISIT = "visit"
SELF_REPORT = "self_report"

ENTRY_KINDS = (
    (VISIT, "Visit"),
    (SELF_REPORT, "Self-report"),
)

LEFT = "left"
RIGHT = "right"

SIDES = (
    (LEFT, "Left"),
    (RIGHT, "Right"),
)
