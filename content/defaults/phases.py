"""The three phases in order, with their exit criteria and exercise template
(names match the exercises exactly). DESIGN.md section 1."""

# exit_criteria: (measure, comparator, threshold). Measures are the stable
# codes of DESIGN section 3; "activity_pain" and "rest_pain" are the derived
# back/hip pain values of an entry. Yes/no measures use 1 (yes) and 0 (no).

PHASES = (
    {
        "code": "normalise",
        "order": 1,
        "name": "Normalise",
        "goal": (
            "Calm the pain down, get the front of your hip moving freely "
            "again and start walking more evenly."
        ),
        "typical_window": "Weeks 1–6",
        "description": (
            "Years of limping leave the front of the hip tight, so your leg "
            "cannot swing behind you and your lower back arches to make up "
            "for it. This phase gently restores that hip movement, eases the "
            "pain and starts to smooth out your walking. It comes first "
            "because strengthening your buttock muscles before the hip can "
            "straighten only makes your lower back take the strain."
        ),
        "exit_criteria": [
            ("activity_pain", "<=", 4),
            ("standing_tolerance_min", ">=", 20),
        ],
        "template": [
            "Supine hip flexor stretch",
            "Heel slides",
            "Short arc quads",
            "Standing hip extension (wall support)",
            "Heel-to-toe walking",
        ],
    },
    {
        "code": "rebuild",
        "order": 2,
        "name": "Rebuild",
        "goal": (
            "Strengthen your buttock muscles and teach your hips and lower "
            "back to work as a team, so that your walking becomes even."
        ),
        "typical_window": "Weeks 6–14",
        "description": (
            "Now that your hip can straighten behind you, we strengthen the "
            "buttock muscles through that new range of movement. Strong "
            "buttock muscles take the work off your lower back and keep your "
            "hips level when you stand on one leg, which is what removes a "
            "limp. Walking gets easier once this strength is in place, so it "
            "comes before the harder everyday tasks."
        ),
        "exit_criteria": [
            ("walk_without_limp_min", ">=", 20),
            ("glute_bridge_hold_s", ">=", 30),
            ("glute_bridge_lumbar_substitution", "==", 0),
        ],
        "template": [
            "Double-leg glute bridge",
            "Side-lying hip abduction",
            "Clamshells",
            "Supported single-leg stance",
            "Step-ups",
        ],
    },
    {
        "code": "integrate",
        "order": 3,
        "name": "Integrate",
        "goal": (
            "Use your new movement and strength in everyday life: longer "
            "walks, stairs, bending and uneven ground."
        ),
        "typical_window": "Weeks 12–20+",
        "description": (
            "This phase brings everything together in the movements you use "
            "every day, such as stairs, bending to pick things up and walking "
            "outdoors. It comes last because these tasks need both the hip "
            "movement from phase 1 and the strength from phase 2. Long "
            "walks and long spells of standing usually return last, as your "
            "buttock muscles build staying power."
        ),
        "exit_criteria": [
            ("gait_symmetric_video", "==", 1),
            ("continuous_walk_min", ">=", 45),
            ("rest_pain", "<=", 2),
        ],
        "template": [
            "Single-leg glute bridge",
            "Lateral band walks",
            "Controlled hip hinge",
            "Stair negotiation",
            "Varied terrain walking",
        ],
    },
)
