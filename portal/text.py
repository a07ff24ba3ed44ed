"""Patient-facing wording and the small markup of education articles."""

from content import codes

# The clinical labels in codes.LOCATIONS are for physios; patients read these.
PATIENT_LOCATION_LABELS = {
    codes.ANTERIOR_HIP: "Front of the hip / groin",
    codes.LATERAL_HIP: "Side of the hip / outer thigh",
    codes.BUTTOCK_SI: "Buttock, or where the back meets the pelvis",
    codes.LUMBAR_BILATERAL: "Lower back, across both sides",
    codes.LUMBAR_UNILATERAL: "Lower back, one side only",
    codes.ANTERIOR_THIGH: "Front of the thigh",
    codes.KNEE: "Knee",
}
PATIENT_CONTEXT_LABELS = {
    codes.REST: "Resting",
    codes.ACTIVITY: "Moving",
    codes.NIGHT: "At night",
}
