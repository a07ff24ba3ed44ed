"""Pain location guide (shown to physios beside the pain grid): the likely
source and what aggravates pain at each location. Keys are the location
codes of content.codes, whose table holds the labels."""

LOCATION_GUIDE = {
    "anterior_hip": {
        "likely_source": "Hip flexors (iliopsoas) or the hip joint",
        "aggravated_by": (
            "First steps, rising from a chair, walking uphill"
        ),
    },
    "lateral_hip": {
        "likely_source": (
            "Weak gluteus medius, trochanteric bursa, iliotibial band (ITB)"
        ),
        "aggravated_by": (
            "Long walks, stairs, lying on the operated side"
        ),
    },
    "buttock_si": {
        "likely_source": "Sacroiliac (SI) joint, piriformis",
        "aggravated_by": (
            "Long sitting, uneven standing, getting in and out of a car"
        ),
    },
    "lumbar_bilateral": {
        "likely_source": "Overloaded lumbar extensors",
        "aggravated_by": "Standing, walking, extension",
    },
    "lumbar_unilateral": {
        "likely_source": "SI joint, facet joint or disc",
        "aggravated_by": "One-sided loading, twisting, bending",
    },
    "anterior_thigh": {
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
