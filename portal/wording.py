"""The advice's general wording made the patient's own: their clinic's name
and phone number, and the emergency number where they live.

The flag kinds (content.flag_kinds) speak of "emergency services" and "your
physiotherapist" because they serve every clinic; the portal knows which
clinic the patient belongs to and says so.
"""

# The wording itself lives beside the vocabulary, so that the printed
# programme (rehab.home_programme) uses the same words as the portal.
from content.wording import article_blocks_for_clinic, clinic_call, in_clinic_words

__all__ = ["advice_sections_for_clinic", "article_blocks_for_clinic", "clinic_call", "in_clinic_words"]


def advice_sections_for_clinic(sections: list[dict], clinic) -> list[dict]:
    """Each section's heading and texts in the clinic's words, and for advice
    that goes through the clinic (anything short of an emergency) the line
    that says whom to call."""
    worded = []
    for section in sections:
        worded.append({
            **section,
            "heading": in_clinic_words(section["heading"], clinic),
            "texts": [in_clinic_words(text, clinic) for text in section["texts"]],
            "contact": "" if section["severity"] == "emergency" else _sentence(clinic_call(clinic)),
        })
    return worded


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:] + "."
