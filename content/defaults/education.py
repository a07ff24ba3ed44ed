"""Education articles for patients and clinicians.

Bodies: paragraphs are separated by a blank line; a line starting with "- "
is a bullet."""

EDUCATION = (
    {
        "slug": "why-it-happens",
        "section": "general",
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
        "section": "general",
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
        "section": "dos",
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
        "section": "donts",
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
        "section": "general",
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
            "keeps getting worse, contact your physio or report your pain "
            "from your online exercise page. If you notice any of "
            "the warning signs in 'When to get help quickly', follow that "
            "advice straight away."
        ),
    },
    {
        "slug": "seek-same-day-care",
        "section": "seek_same_day_care",
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
            "Call the emergency services straight away (for example 999 or "
            "112) if you have:\n"
            "\n"
            "- New or sudden shortness of breath.\n"
            "- Chest pain, especially if it is worse when you breathe in.\n"
            "\n"
            "These can be a blood clot in the lungs, above all with a swollen "
            "calf.\n"
            "\n"
            "Get seen the same day (GP, surgeon's team or urgent care) if "
            "you have:\n"
            "\n"
            "- Swelling, warmth or redness in the calf of your operated leg. "
            "This can be a blood clot.\n"
            "- A fever, or feeling hot and shivery, together with pain in a "
            "joint. This can be an infection.\n"
            "- A foot that drops or catches on the ground when you walk.\n"
            "- Rapidly worsening weakness in your leg or foot.\n"
            "\n"
            "If weakness comes on suddenly, or affects your face, arm or "
            "speech, call the emergency services.\n"
            "\n"
            "Contact your clinic promptly, within a day or two, if you have:\n"
            "\n"
            "- Severe pain that is there all night and does not change when "
            "you move or change position.\n"
            "- Weight loss that you cannot explain.\n"
            "\n"
            "Tell your physio at your next visit or check-in if you have:\n"
            "\n"
            "- Shooting pain down your leg.\n"
            "- New numbness or pins and needles in your leg or foot.\n"
            "- A new ache close to your knee replacement or in the front of "
            "your thigh.\n"
            "- Deep clicking or catching in your hip together with pain in "
            "your groin.\n"
            "- Back or hip pain of 7 out of 10 or more, or pain clearly worse "
            "than at your last visit. Report it from your online exercise page and "
            "your physio will contact you within one working day.\n"
            "\n"
            "If you are unsure, it is always fine to ask. You can also "
            "report these symptoms from your online exercise page, and your physio "
            "will be told."
        ),
    },
    {
        "slug": "return-to-activity",
        "section": "general",
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
        "section": "general",
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
        "section": "general",
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
        "section": "general",
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
