"""The advice's general wording made the patient's own: their clinic's name
and phone number, and the emergency number where they live.

The flag kinds (content.flag_kinds) speak of "emergency services" and "your
physiotherapist" because they serve every clinic; the portal and the printed
programme know which clinic the patient belongs to and say so.
"""

import re

# Longest first: "(for example 999 or 112)" goes with the words before it.
_EMERGENCY = re.compile(
    r"(call) (?:the )?emergency services( now| straight away)?( \(for example [0-9]+ or [0-9]+\))?", re.IGNORECASE,
)
_CONTACT_CLINIC = re.compile(r"(c)ontact your clinic", re.IGNORECASE)


def clinic_call(clinic) -> str:
    """“call Riverside Physio on 020 7946 0000”, or without the number when the clinic has none."""
    return f"call {clinic.name} on {clinic.phone}" if clinic.phone else f"call {clinic.name}"


def in_clinic_words(text: str, clinic) -> str:
    """`text` with “call emergency services” made “call 999” (the clinic's
    emergency number) and “contact your clinic” made “call Riverside Physio on …”."""
    text = _EMERGENCY.sub(lambda m: f"{m.group(1)} {clinic.emergency_number}{m.group(2) or ''}", text)
    call = clinic_call(clinic)
    return _CONTACT_CLINIC.sub(lambda m: (call[0].upper() if m.group(1) == "C" else call[0]) + call[1:], text)


def article_blocks_for_clinic(blocks: list[dict], clinic) -> list[dict]:
    """An article's blocks (content.text.article_blocks) in the clinic's words."""
    return [
        {**block, "items": [in_clinic_words(item, clinic) for item in block["items"]]} if block["kind"] == "ul"
        else {**block, "text": in_clinic_words(block["text"], clinic)}
        for block in blocks
    ]
