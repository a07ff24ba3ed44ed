"""The key exercises of Integrate, phase 3 (DESIGN.md section 1)."""

INTEGRATE_EXERCISES = (
    {
        "name": "Single-leg glute bridge",
        "code": "single-leg-glute-bridge",
        "purpose": (
            "Builds strength in each buttock on its own, the way you need it "
            "for climbing stairs and walking uphill."
        ),
        "instructions": [
            "Lie on your back with both knees bent and feet flat, "
            "hip-width apart.",
            "Lift into a normal two-leg bridge, with shoulders, hips and "
            "knees in a straight line.",
            "Keeping your hips level, slowly straighten one knee so that foot "
            "leaves the bed. All the weight is now on the other leg.",
            "Hold for 3 seconds, feeling the work in the buttock of the "
            "standing leg.",
            "Put the foot back down, then lower your hips slowly.",
            "Do the set on one side, then the other.",
        ],
        "dosage": (
            "2–3 × 6–10 repetitions each side with a 3 s hold, every other day"
        ),
        "cautions": (
            "If one hip drops or your lower back arches, go back to two-leg "
            "bridges for now. Stop if your back pain goes above 5/10."
        ),
        "media_url": "",
    },
    {
        "name": "Lateral band walks",
        "code": "lateral-band-walks",
        "purpose": (
            "Strengthens the side hip muscles while you move, to keep the "
            "pelvis level and the knees in line when walking and on stairs."
        ),
        "instructions": [
            "Put a light resistance band around both legs just above the "
            "knees. Stand next to a long worktop so you can touch it if you "
            "need to.",
            "Stand with feet hip-width apart, knees slightly bent and your "
            "body upright.",
            "Take a slow step sideways with one foot, keeping the band "
            "tight, then bring the other foot after it, but not all the way "
            "in.",
            "Keep your toes pointing forwards and your knees over your toes; "
            "do not let them fall inwards.",
            "Take 10–15 steps one way, then the same number back.",
        ],
        "dosage": "2–3 × 10–15 steps each direction, every other day",
        "cautions": (
            "Start with the lightest band and keep your body still, without "
            "swaying side to side. Stop if you feel sharp pain in the hip or "
            "knee."
        ),
        "media_url": "",
    },
    {
        "name": "Controlled hip hinge",
        "code": "controlled-hip-hinge",
        "purpose": (
            "Teaches you to bend forwards from the hips rather than the lower "
            "back, for picking things up, gardening and household tasks."
        ),
        "instructions": [
            "Stand with feet hip-width apart in front of a worktop, close "
            "enough to reach it. Knees softly bent.",
            "Hold a broom handle along your back so it touches the back of "
            "your head, between your shoulder blades and your tailbone.",
            "Push your bottom backwards and let your body tip forwards from "
            "the hips, keeping the stick touching all three points.",
            "Go only as far as you can with your back straight, often until "
            "your body is about halfway to level. You should feel a stretch "
            "in the back of your thighs.",
            "Come back up by squeezing your buttocks and pushing your hips "
            "forwards, not by leaning back.",
            "When this is easy, practise without the stick, hands resting "
            "on your thighs.",
        ],
        "dosage": "2–3 × 8–10 repetitions, once daily",
        "cautions": (
            "If the stick comes away from your lower back or head, you are "
            "bending from the back: make the movement smaller. Do not add "
            "weights until your physio says so."
        ),
        "media_url": "",
    },
    {
        "name": "Stair negotiation",
        "code": "stair-negotiation",
        "purpose": (
            "Builds confidence and control on stairs, moving from one step at "
            "a time towards a normal, alternating pattern."
        ),
        "instructions": [
            "Use stairs with a sturdy handrail, and hold it every time. Use "
            "a stick in the other hand if your physio has advised it.",
            "To start with, go up leading with your stronger leg and come "
            "down leading with your operated leg, one step at a time "
            "('up with the good, down with the operated').",
            "Put your whole foot on each step and stand tall, hips forward, "
            "before taking the next one.",
            "When this feels steady, practise going up with one foot on each "
            "step, pushing through the heel of the leading leg.",
            "Then practise coming down one foot per step, lowering slowly "
            "with control.",
        ],
        "dosage": "2–3 flights up and down, once or twice daily",
        "cautions": (
            "Never carry things in both hands on the stairs. Stop and rest if "
            "your knee feels unsteady or your pain goes above 5/10, and go "
            "back to one step at a time."
        ),
        "media_url": "",
    },
    {
        "name": "Varied terrain walking",
        "code": "varied-terrain-walking",
        "purpose": (
            "Builds the stamina and balance you need for walks outside: "
            "grass, gentle slopes, kerbs and uneven paths."
        ),
        "instructions": [
            "Wear supportive, well-fitting shoes with a good grip. Take your "
            "phone, and a stick if you still use one.",
            "Start on a route you know that includes a short stretch of "
            "grass, gravel or a gentle slope.",
            "Walk tall with even steps, landing on the heel and pushing off "
            "through the toes, as you practised before.",
            "On slopes, take shorter steps. On uneven ground, slow down and "
            "look a few steps ahead.",
            "Add about 5 minutes every week or two, working towards "
            "45 minutes of continuous walking.",
        ],
        "dosage": (
            "15–20 minutes, 3–5 days a week, building towards 45 minutes"
        ),
        "cautions": (
            "Keep pain under 5/10 during the walk and no worse the next "
            "morning; if it builds, shorten the next walk. Avoid steep "
            "slopes, ice and poor light until you are confident."
        ),
        "media_url": "",
    },
)
