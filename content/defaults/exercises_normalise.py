"""The key exercises of Normalise, phase 1 (DESIGN.md section 1)."""

NORMALISE_EXERCISES = (
    {
        "name": "Supine hip flexor stretch",
        "code": "supine-hip-flexor-stretch",
        "purpose": (
            "Lengthens the tight muscles at the front of the hip so that your "
            "leg can swing behind you without your lower back arching."
        ),
        "instructions": [
            "Lie on your back on a firm bed, close to one edge, so the leg "
            "you are stretching is nearest the edge.",
            "Bring the other knee up towards your chest and hold it with "
            "both hands. This keeps your lower back flat on the bed.",
            "Slowly let the leg nearest the edge slide off the side so the "
            "thigh drops down towards the floor. Let the lower leg hang, or "
            "rest your foot on a low stool if your knee will not bend far "
            "enough.",
            "You should feel a gentle pull across the front of the hip and "
            "top of the thigh. Breathe slowly and let the thigh relax down.",
            "Keep your lower back pressed gently into the bed. If it starts "
            "to arch, pull the other knee a little closer to your chest.",
            "To finish, bring the stretched leg back onto the bed before "
            "letting go of the other knee. Then move to the other edge and "
            "stretch the other side.",
        ],
        "dosage": "3 × 30–45 s holds each side, twice daily",
        "cautions": (
            "The stretch should feel like a pull, never a sharp pain in the "
            "hip, groin or back. Do not bounce, and do not let the stretched "
            "leg hang if it pulls on your new knee: rest the foot on a stool "
            "instead."
        ),
        "media_url": "",
    },
    {
        "name": "Heel slides",
        "code": "heel-slides",
        "purpose": (
            "Keeps the new knee and the hip moving smoothly together and "
            "gently warms up the leg before the other exercises."
        ),
        "instructions": [
            "Lie on your back on a bed or the floor with both legs straight. "
            "A plastic bag or tray under the heel helps it slide.",
            "Slowly slide the heel of your operated leg towards your bottom, "
            "bending the knee and hip as far as is comfortable.",
            "Hold for 3–5 seconds where you feel a gentle stretch in the knee.",
            "Slide the heel back down until the leg is straight again.",
            "Keep your kneecap and toes pointing up to the ceiling throughout, "
            "and keep your back relaxed on the bed.",
        ],
        "dosage": "2 × 10–15 repetitions, 2–3 times daily",
        "cautions": (
            "Move slowly and stop at a firm stretch, not pain. If the knee "
            "becomes hot, more swollen or much more painful afterwards, do "
            "fewer repetitions and tell your physio."
        ),
        "media_url": "",
    },
    {
        "name": "Short arc quads",
        "code": "short-arc-quads",
        "purpose": (
            "Wakes up the thigh muscle (quadriceps) that swelling switches "
            "off, so your hips and back do not have to carry its load."
        ),
        "instructions": [
            "Lie on your back or sit back on a bed with your legs out in "
            "front of you.",
            "Place a rolled towel or a firm cushion (about 15 cm high) under "
            "the operated knee.",
            "Tighten the muscle on the front of your thigh and lift your heel "
            "until the knee is straight. The back of the knee stays on the "
            "roll.",
            "Hold the knee straight for 5 seconds, pulling your toes towards "
            "you.",
            "Lower the heel slowly back to the bed and relax fully before the "
            "next one.",
        ],
        "dosage": "2–3 × 10 repetitions with a 5 s hold, twice daily",
        "cautions": (
            "Keep your bottom and lower back still on the bed; only the lower "
            "leg moves. Stop if you feel sharp pain in the knee."
        ),
        "media_url": "",
    },
    {
        "name": "Standing hip extension (wall support)",
        "code": "standing-hip-extension-wall-support",
        "purpose": (
            "Teaches your hip to move behind you using the buttock muscles, "
            "instead of arching your lower back."
        ),
        "instructions": [
            "Stand facing a wall or a sturdy kitchen worktop with both hands "
            "resting on it for support, feet hip-width apart.",
            "Stand tall and gently tighten your tummy muscles, as if bracing "
            "for a light poke.",
            "Keeping the knee straight, take one leg slowly backwards a "
            "short way, squeezing the buttock on that side.",
            "Stop as soon as you feel your lower back start to arch or your "
            "body tip forward. The movement is small, often only 10–15 cm.",
            "Hold for 2 seconds, then bring the leg back to the start.",
            "Do all the repetitions on one leg, then change legs.",
        ],
        "dosage": "2 × 10 repetitions each leg with a 2 s hold, once or twice daily",
        "cautions": (
            "Keep your back still: if you feel the work in your lower back "
            "rather than your buttock, make the movement smaller. Always keep "
            "both hands on the support."
        ),
        "media_url": "",
    },
    {
        "name": "Heel-to-toe walking",
        "code": "heel-to-toe-walking",
        "purpose": (
            "Retrains an even walking pattern, landing on the heel and "
            "pushing off through the toes, so that the limp fades and the hip "
            "straightens behind you with each step."
        ),
        "instructions": [
            "Use your walking aid if you still need one, and walk somewhere "
            "flat and clear, such as a hallway.",
            "Stand tall with your hips forward, under your shoulders, and "
            "look ahead rather than at your feet.",
            "Step forward and land on the heel of your operated leg with the "
            "knee nearly straight.",
            "Roll through the foot and push off through the big toe, letting "
            "the hip stretch out behind you before the leg swings through.",
            "Aim for equal step lengths and an equal amount of time on each "
            "leg. Counting a steady 'one, two' can help.",
            "Walk slowly: good steps matter more than speed or distance.",
        ],
        "dosage": "5–10 minutes of practice, 2–3 times daily",
        "cautions": (
            "This is your normal walking done carefully, not walking along a "
            "narrow line. Keep pain under 5/10, and stop and rest if your "
            "walking becomes uneven or your back pain builds."
        ),
        "media_url": "",
    },
)
