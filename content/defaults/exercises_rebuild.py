"""The key exercises of Rebuild, phase 2 (DESIGN.md section 1)."""

REBUILD_EXERCISES = (
    {
        "name": "Double-leg glute bridge",
        "code": "double-leg-glute-bridge",
        "purpose": (
            "Strengthens the buttock muscles through the new hip range so "
            "they, not your lower back, power you upright."
        ),
        "instructions": [
            "Lie on your back on the bed or floor with both knees bent, feet "
            "flat and hip-width apart, arms by your sides.",
            "Gently flatten your lower back towards the bed by tightening "
            "your tummy muscles a little.",
            "Squeeze your buttocks, then lift your hips until your shoulders, "
            "hips and knees form a straight line. Do not go higher.",
            "Hold, keeping your weight even on both feet. You should feel the "
            "work mainly in your buttocks, not your lower back.",
            "Lower slowly, one part of your back at a time, and rest for a "
            "breath before the next one.",
            "As it gets easier, build up the hold time towards 30 seconds.",
        ],
        "dosage": (
            "3 × 10 repetitions with a 5 s hold, once daily; build towards "
            "one 30 s hold"
        ),
        "cautions": (
            "Keep your lower back from arching at the top: lift only as high "
            "as you can with your buttocks doing the work. Stop if your back "
            "pain goes above 5/10."
        ),
        "media_url": "",
    },
    {
        "name": "Side-lying hip abduction",
        "code": "side-lying-hip-abduction",
        "purpose": (
            "Strengthens the muscle on the side of the hip (gluteus medius) "
            "that keeps your pelvis level when you walk."
        ),
        "instructions": [
            "Lie on your side with a pillow under your head and the bottom "
            "knee bent for balance. Put a folded towel under the knee if it "
            "is your operated leg.",
            "Keep the top leg straight, in line with your body or very "
            "slightly behind it, with the toes pointing forwards.",
            "Lift the top leg slowly towards the ceiling, about 20–30 cm, "
            "leading with the heel.",
            "Hold for 2 seconds. You should feel the work on the side of the "
            "hip, just below the belt line.",
            "Lower slowly. Do not let your top hip roll backwards or your "
            "toes turn up to the ceiling.",
            "Complete the set, then turn over and work the other side.",
        ],
        "dosage": "2–3 × 10–12 repetitions each side, once daily",
        "cautions": (
            "Lift only as high as you can without rolling back or hitching "
            "your waist. If lying on one side is painful, do that side "
            "standing, holding a worktop, and tell your physio."
        ),
        "media_url": "",
    },
    {
        "name": "Clamshells",
        "code": "clamshells",
        "purpose": (
            "Strengthens the deep buttock muscles that turn the hip outwards "
            "and steady the pelvis and knee."
        ),
        "instructions": [
            "Lie on your side with your hips and knees bent, feet together "
            "and in line with your bottom. Put a pillow under your head and "
            "a folded towel under the lower knee.",
            "Place your top hand on your top hip to check it stays still.",
            "Keeping your feet touching, lift the top knee slowly, like a "
            "clam opening.",
            "Open only as far as you can without your top hip rolling "
            "backwards. Feel the work deep in the buttock.",
            "Hold for 2 seconds, then close slowly.",
            "Finish the set, then turn over and work the other side.",
        ],
        "dosage": "2–3 × 10–15 repetitions each side, once daily",
        "cautions": (
            "A small, controlled movement is better than a big one where the "
            "body rolls back. Stop if you feel pinching in the front of the "
            "hip or pain on the outside of the hip you are lying on."
        ),
        "media_url": "",
    },
    {
        "name": "Supported single-leg stance",
        "code": "supported-single-leg-stance",
        "purpose": (
            "Builds the balance and hip control needed to stand on one leg "
            "during each step without the hip dropping or the body leaning."
        ),
        "instructions": [
            "Stand side-on to a sturdy worktop or the back of a heavy chair, "
            "holding on with one hand. Stand tall.",
            "Shift your weight onto one leg and gently squeeze that buttock.",
            "Lift the other foot a few centimetres off the floor.",
            "Keep your hips level and your body upright: do not lean over "
            "the standing leg or let the lifted side drop.",
            "Hold for 10–15 seconds, then put the foot down and rest.",
            "As you improve, hold on with fingertips only, but keep your hand "
            "close to the support at all times.",
        ],
        "dosage": "5 × 10–15 s holds on each leg, once or twice daily",
        "cautions": (
            "Always have something sturdy within reach, and do not practise "
            "on a rug or in socks. Stop if you feel unsteady or dizzy."
        ),
        "media_url": "",
    },
    {
        "name": "Step-ups",
        "code": "step-ups",
        "purpose": (
            "Strengthens the buttock and thigh of the operated leg together "
            "so that stairs, kerbs and rising from a chair get easier."
        ),
        "instructions": [
            "Stand at the bottom of the stairs, or in front of a firm step "
            "15–20 cm high, holding the handrail.",
            "Place the whole foot of your operated leg on the step.",
            "Lean slightly forward and push up through the heel until the hip "
            "and knee are straight, then bring the other foot up beside it.",
            "Keep the knee in line with your middle toes. Do not let it fall "
            "inwards.",
            "Step back down slowly with the other leg first, keeping control "
            "with the operated leg.",
            "Repeat, then do a set leading with the other leg.",
        ],
        "dosage": "2–3 × 8–12 repetitions each leg, once daily",
        "cautions": (
            "Always hold a rail. Start on a lower step if a 15 cm step is too "
            "hard, and stop if you feel sharp knee pain or the knee feels "
            "like it might give way."
        ),
        "media_url": "",
    },
)
