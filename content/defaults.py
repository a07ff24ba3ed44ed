"""Default clinical content for Kinetic.

Plain Python data only (no Django imports), so it can be loaded both by the
seeding function used for new clinics and by data migrations.

Sources: DESIGN.md section 1 (phases, key exercises, exit criteria) and
section 8 (clinical facts). All patient-facing text is written for an older
adult reading on a phone: plain words, short sentences, UK English.

Contents:
    PHASES          the three phases in order, with exit criteria and the
                    exercise template (names match EXERCISES exactly)
    EXERCISES       the fifteen key exercises
    EDUCATION       education articles (patient and clinician)
    LOCATION_GUIDE  pain location code -> label, likely source, aggravators

Text conventions for EDUCATION bodies: paragraphs are separated by a blank
line; a line starting with "- " is a bullet.
"""

# ---------------------------------------------------------------------------
# Phases
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Exercises
# ---------------------------------------------------------------------------
# A shared pain guide is written into each exercise's cautions where it
# matters: mild discomfort (up to 5/10) that settles within an hour or so and
# is no worse the next morning is acceptable.

EXERCISES = (
    # --- Phase 1: Normalise ----------------------------------------------
    {
        "name": "Supine hip flexor stretch",
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
    # --- Phase 2: Rebuild ------------------------------------------------
    {
        "name": "Double-leg glute bridge",
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
    # --- Phase 3: Integrate ----------------------------------------------
    {
        "name": "Single-leg glute bridge",
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


# ---------------------------------------------------------------------------
# Education
# ---------------------------------------------------------------------------

EDUCATION = (
    {
        "slug": "why-it-happens",
        "title": "Why your back and hip hurt after a knee replacement",
        "audience": "patient",
        "order": 1,
        "body": (
            "Many people notice new or worse pain in the lower back or hip "
            "after a knee replacement. This is common, and in most cases it "
            "can be treated well with the right exercises.\n"
            "\n"
            "Before your operation you probably limped for months or years. "
            "Limping changes how the whole leg works:\n"
            "\n"
            "- The muscles at the front of the hip get used to staying short "
            "and become tight, so the leg no longer swings fully behind you.\n"
            "- The buttock muscles do less and less work and become weak.\n"
            "- The muscles of the lower back take over the work, and get "
            "tired and sore.\n"
            "\n"
            "Your new knee does not undo these habits on its own. On top of "
            "that, a knee that was bowed before surgery is now straighter. "
            "This can make the leg feel longer and tilt your pelvis slightly "
            "until your body adjusts. Swelling after surgery also switches "
            "off the thigh muscle for a while, so the hip and back pick up "
            "extra load.\n"
            "\n"
            "The good news: this pain is mechanical. It comes from muscles "
            "and joints working in an unhelpful way, and it usually gets "
            "better as they are retrained. It is rarely a problem with the "
            "new knee itself.\n"
            "\n"
            "Your programme works on the hip and back, above the knee, in "
            "three steps: loosen the front of the hip, strengthen the "
            "buttocks, then bring it all into your walking."
        ),
    },
    {
        "slug": "how-phases-work",
        "title": "How your programme moves forward",
        "audience": "patient",
        "order": 2,
        "body": (
            "Your programme has three phases: Normalise, Rebuild and "
            "Integrate. Each phase has a few exercises and a few simple "
            "goals.\n"
            "\n"
            "You move on when your body is ready, not when a set number of "
            "weeks has passed. Your physio checks your goals at each visit, "
            "such as how long you can stand or walk, and how your pain is "
            "doing. The weeks shown for each phase are only a rough guide.\n"
            "\n"
            "A simple pain guide for exercises and walks:\n"
            "\n"
            "- Pain up to 5 out of 10 while you exercise is acceptable.\n"
            "- It should settle within an hour or so afterwards.\n"
            "- It should be no worse the next morning.\n"
            "- If it is, do a little less next time, and tell your physio if "
            "it keeps happening.\n"
            "\n"
            "Going back a phase for a while is normal after a flare. It is "
            "not a failure.\n"
            "\n"
            "Most people notice a real improvement within 8 to 16 weeks. If "
            "your pain is not clearly better after 12 weeks, or is getting "
            "worse, your physio will arrange a fuller check."
        ),
    },
    {
        "slug": "dos",
        "title": "Things that help",
        "audience": "patient",
        "order": 3,
        "body": (
            "- Walk regularly, as long as your pain stays under 5 out of 10 "
            "and does not build up afterwards.\n"
            "- Stretch the front of your hips every day.\n"
            "- Sleep on your back with a pillow under your knees, or on your "
            "side with a firm pillow between your knees. Avoid sleeping on "
            "your stomach.\n"
            "- When you walk, push off through your operated leg and let "
            "your hip stretch out behind you.\n"
            "- Tell your physio if your pain stops improving or gets worse."
        ),
    },
    {
        "slug": "donts",
        "title": "Things to avoid",
        "audience": "patient",
        "order": 4,
        "body": (
            "- Don't rest and wait for the pain to settle. Gentle movement "
            "helps it settle faster.\n"
            "- Don't rely on tummy or core exercises alone. Your hips need "
            "work too.\n"
            "- Don't sit for more than 45–50 minutes without getting up and "
            "moving for a minute or two.\n"
            "- Don't assume back pain means your new knee has failed. It "
            "very rarely does.\n"
            "- Don't treat your back on its own. The hips and the way you "
            "walk are part of the problem and part of the answer."
        ),
    },
    {
        "slug": "first-72-hours",
        "title": "The first 72 hours of a flare-up",
        "audience": "patient",
        "order": 5,
        "body": (
            "Flare-ups happen, and most settle within a few days. These "
            "steps help during the first three days.\n"
            "\n"
            "Keep moving:\n"
            "\n"
            "- Take short walks often, for example 5 minutes every hour or "
            "two, rather than one long walk.\n"
            "- Get up and move after 40–45 minutes of sitting at the most.\n"
            "- Do your hip flexor stretch lying on your back, holding each "
            "stretch for 30–45 seconds.\n"
            "- When standing, stand tall with your hips forward, not bent or "
            "leaning.\n"
            "\n"
            "Ice or heat:\n"
            "\n"
            "- Ice for 10–15 minutes helps fresh soreness.\n"
            "- Heat helps stiffness.\n"
            "- Always put a cloth between the ice or heat pack and your skin, "
            "and don't use either on skin that feels numb.\n"
            "\n"
            "Sitting and getting up:\n"
            "\n"
            "- Choose a firm chair with arms, and put a rolled towel behind "
            "your lower back.\n"
            "- To stand up, shuffle forward to the edge of the seat, then "
            "push up with your arms and your stronger leg.\n"
            "- If you use a walking frame or crutches, stand tall between "
            "them rather than hunching over them.\n"
            "\n"
            "If the flare has not started to ease after three days, or it "
            "keeps getting worse, contact your physio. If you notice any of "
            "the warning signs in 'When to get help quickly', follow that "
            "advice straight away."
        ),
    },
    {
        "slug": "seek-same-day-care",
        "title": "When to get help quickly",
        "audience": "patient",
        "order": 6,
        "body": (
            "Most back and hip pain after a knee replacement is not "
            "dangerous. A few signs do need quick attention. Please read "
            "this list and keep it handy.\n"
            "\n"
            "Go to an emergency department now if you have:\n"
            "\n"
            "- Numbness or a strange feeling between your legs, around your "
            "bottom or on your inner thighs (the area a saddle would touch).\n"
            "- A new change in your bladder or bowels: you cannot pass urine, "
            "you leak without knowing, or you cannot control your bowels.\n"
            "\n"
            "Get seen the same day (GP, surgeon's team or urgent care) if "
            "you have:\n"
            "\n"
            "- Swelling, warmth or redness in the calf of your operated leg. "
            "This can be a blood clot.\n"
            "- A fever, or feeling hot and shivery, together with pain in a "
            "joint. This can be an infection.\n"
            "\n"
            "Call the emergency services straight away (for example 999 or "
            "112) if you are short of breath or have chest pain, especially "
            "with a swollen calf.\n"
            "\n"
            "Contact your clinic promptly, the same day if you can, if you "
            "have:\n"
            "\n"
            "- Severe pain that is there all night and does not change when "
            "you move or change position.\n"
            "- Weight loss that you cannot explain.\n"
            "- A foot that drops or catches on the ground when you walk.\n"
            "- Weakness in your leg that is getting worse.\n"
            "\n"
            "If weakness comes on suddenly, or affects your face, arm or "
            "speech, call the emergency services.\n"
            "\n"
            "Tell your physio at your next visit or check-in if you have:\n"
            "\n"
            "- Shooting pain down your leg.\n"
            "- New numbness or pins and needles in your leg or foot.\n"
            "- A new ache close to your knee replacement or in the front of "
            "your thigh.\n"
            "- Deep clicking or catching in your hip together with pain in "
            "your groin.\n"
            "\n"
            "If you are unsure, it is always fine to ask. You can also "
            "report these symptoms from your Kinetic page, and your physio "
            "will be told."
        ),
    },
    {
        "slug": "return-to-activity",
        "title": "Getting back to your usual activities",
        "audience": "patient",
        "order": 7,
        "body": (
            "Everyone recovers at their own pace, but this is a typical "
            "pattern:\n"
            "\n"
            "- Most people feel a real improvement within 8 to 16 weeks.\n"
            "- An exercise bike is usually comfortable early on, and it helps "
            "your hip straighten. Set the seat high enough that your knee is "
            "almost straight at the bottom of each turn.\n"
            "- Driving often returns between weeks 6 and 10. Only drive once "
            "you can make an emergency stop without hesitating and are not "
            "taking medicines that make you drowsy. Check with your surgeon "
            "and your insurer first.\n"
            "- Comfortable walking, stairs, driving and light exercise are "
            "usually back at around 3 to 5 months.\n"
            "- Standing and walking for a long time come back last, because "
            "your buttock muscles need to build staying power.\n"
            "\n"
            "Build up gradually. A good day is a chance to do a little more, "
            "not to make up for lost time."
        ),
    },
    {
        "slug": "order-of-work",
        "title": "Order of work: extension, then load, then gait",
        "audience": "clinician",
        "order": 8,
        "body": (
            "Back and hip pain after TKR is usually the legacy of a long "
            "antalgic gait: shortened hip flexors, inhibited gluteals and "
            "lumbar extensors doing the work of hip extension. Post-operative "
            "effusion adds quadriceps inhibition, and correcting a varus "
            "deformity can change perceived leg length and pelvic position. "
            "The programme works above the knee, in a fixed order.\n"
            "\n"
            "- Restore hip extension first (Normalise). Without it, terminal "
            "stance is achieved through lumbar extension and anterior pelvic "
            "tilt.\n"
            "- Then load the gluteals through the new range (Rebuild). Glute "
            "bridges done before hip extension returns make the lumbar spine "
            "compensate; check for lumbar substitution on the bridge.\n"
            "- Then bring it into walking, stairs and daily tasks "
            "(Integrate).\n"
            "\n"
            "Progress on criteria, not weeks. Default exit criteria:\n"
            "\n"
            "- Normalise: activity pain 4/10 or less; standing 20 min or "
            "more without a significant rise in back pain.\n"
            "- Rebuild: 20 min or more walking without a visible limp; glute "
            "bridge held 30 s without lumbar substitution.\n"
            "- Integrate: symmetric gait on video; 45 min or more continuous "
            "walking; back and hip pain 2/10 or less at rest.\n"
            "\n"
            "Phase windows overlap (Rebuild weeks 6–14, Integrate weeks "
            "12–20+). Moving a patient back a phase after a flare or "
            "regression is expected, not a failure.\n"
            "\n"
            "Avoid treating the back alone or relying on isolated core work: "
            "the driver is usually the hip and the gait pattern."
        ),
    },
    {
        "slug": "plateau-review",
        "title": "Not improving at 12 weeks: comprehensive review",
        "audience": "clinician",
        "order": 9,
        "body": (
            "Most patients improve meaningfully within 8–16 weeks. Pain that "
            "is not meaningfully improving after 12 weeks of supervised "
            "rehab, or is getting worse, needs a comprehensive review.\n"
            "\n"
            "Meaningful improvement here means activity pain (the highest "
            "back/hip activity score) down by at least 2 points, or by at "
            "least 30 % of baseline.\n"
            "\n"
            "A review should cover:\n"
            "\n"
            "- Adherence and dosage: is the programme being done, and at the "
            "right level?\n"
            "- Order of work: has hip extension actually been restored, or "
            "is the patient bridging and walking through lumbar "
            "compensation?\n"
            "- The hip joint: deep groin pain, clicking or catching, "
            "anterior hip as the dominant site. Consider a hip X-ray.\n"
            "- The implant: a new, localised ache around the knee or "
            "anterior thigh. Consider a weight-bearing knee X-ray and "
            "orthopaedic review.\n"
            "- The lumbar spine: neurological signs, radicular pain. Lumbar "
            "MRI only with neurological signs.\n"
            "- Non-mechanical causes: constant night pain, unexplained weight "
            "loss, systemic symptoms.\n"
            "\n"
            "Red flags override this timeline at any point."
        ),
    },
    {
        "slug": "imaging",
        "title": "Imaging: when it helps",
        "audience": "clinician",
        "order": 10,
        "body": (
            "Imaging is rarely needed for mechanical back and hip pain after "
            "TKR. Let the clinical findings guide it:\n"
            "\n"
            "- Hip X-ray: progressive deep groin pain, or hip clicking or "
            "catching with anterior hip pain, or a plateau where the anterior "
            "hip is the dominant site. Rules out hip joint involvement.\n"
            "- Weight-bearing knee X-ray: a new, localised ache near the "
            "implant or in the anterior thigh, particularly one appearing "
            "after a period without pain there. Refer for orthopaedic "
            "review.\n"
            "- Lumbar MRI: only with neurological signs (progressive "
            "weakness, foot drop, dermatomal sensory loss, reflex change). "
            "Suspected cauda equina is an emergency referral, not an "
            "outpatient scan request.\n"
            "\n"
            "Routine imaging of mechanical pain without these findings adds "
            "little and can reinforce the belief that something is "
            "structurally wrong."
        ),
    },
)


# ---------------------------------------------------------------------------
# Pain location guide (shown to physios beside the pain grid)
# ---------------------------------------------------------------------------
# Keys are the stable location codes of DESIGN section 3, in that order.
# "anterior_thigh" and "knee" are recorded for the implant rule and never
# count as back/hip pain.

LOCATION_GUIDE = {
    "anterior_hip": {
        "label": "Front of hip / groin",
        "likely_source": "Hip flexors (iliopsoas) or the hip joint",
        "aggravated_by": (
            "First steps, rising from a chair, walking uphill"
        ),
    },
    "lateral_hip": {
        "label": "Outer hip / outer thigh",
        "likely_source": (
            "Weak gluteus medius, trochanteric bursa, iliotibial band (ITB)"
        ),
        "aggravated_by": (
            "Long walks, stairs, lying on the operated side"
        ),
    },
    "buttock_si": {
        "label": "Buttock / sacroiliac",
        "likely_source": "Sacroiliac (SI) joint, piriformis",
        "aggravated_by": (
            "Long sitting, uneven standing, getting in and out of a car"
        ),
    },
    "lumbar_bilateral": {
        "label": "Lower back, both sides",
        "likely_source": "Overloaded lumbar extensors",
        "aggravated_by": "Standing, walking, extension",
    },
    "lumbar_unilateral": {
        "label": "Lower back, one side",
        "likely_source": "SI joint, facet joint or disc",
        "aggravated_by": "One-sided loading, twisting, bending",
    },
    "anterior_thigh": {
        "label": "Front of thigh (not hip)",
        "likely_source": (
            "Quadriceps, femoral nerve, or implant-adjacent; a localised "
            "ache near the implant needs orthopaedic review. Recorded for "
            "the implant rule, not counted as back/hip pain"
        ),
        "aggravated_by": (
            "Direct pressure, resisted knee extension"
        ),
    },
    "knee": {
        "label": "Knee (replaced)",
        "likely_source": (
            "The replaced knee itself — recorded for the implant rule, not "
            "counted as back/hip pain"
        ),
        "aggravated_by": (
            "Not used to word back/hip advice; a new localised ache after a "
            "pain-free spell (from 12 weeks after surgery) needs orthopaedic "
            "review"
        ),
    },
}
