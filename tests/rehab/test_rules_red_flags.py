"""Red flags raised from each entry (DESIGN.md 4.2): plain data, no database."""

import datetime as dt

import pytest

from content.codes import BACK_HIP_LOCATIONS, CONTEXTS, LOCATIONS, Context, EntryKind, Location, Symptom
from content.flag_kinds import ENTRY_FLAG_CODES, FLAG_KINDS, severity_rank
from rehab.rules import Entry, PainScore, entry_findings

SURGERY = dt.date(2026, 1, 12)


def day(n):
    """``n`` days after surgery."""
    return SURGERY + dt.timedelta(days=n)


def entry(on=30, *, symptoms=(), pain=(), kind=EntryKind.VISIT, id=None):
    return Entry(id=id or f"{kind}-{on}", kind=kind, date=day(on), pain=pain, symptoms=symptoms)


def score(location, value, context=Context.ACTIVITY):
    return PainScore(location, context, value)


def knee(value, context=Context.ACTIVITY):
    return score(Location.KNEE, value, context)


def findings(e, history=()):
    return entry_findings(e, surgery_date=SURGERY, history=history)


def found_codes(e, history=()):
    return [f.code for f in findings(e, history)]


# Every single-symptom row, positive --------------------------------------------


@pytest.mark.parametrize(
    ("symptom", "code", "severity"),
    [
        ("saddle_numbness", "cauda_equina", "emergency"),
        ("bladder_bowel_change", "cauda_equina", "emergency"),
        ("calf_swelling", "dvt_signs", "same_day"),
        ("calf_warmth", "dvt_signs", "same_day"),
        ("calf_redness", "dvt_signs", "same_day"),
        ("breathlessness", "pe_signs", "emergency"),
        ("chest_pain", "pe_signs", "emergency"),
        # DESIGN 4.2: motor deficit needs a same-day neurological assessment
        # (the seed's "rapidly worsening leg or foot weakness"), no longer urgent.
        ("foot_drop", "motor_deficit", "same_day"),
        ("progressive_weakness", "motor_deficit", "same_day"),
        ("constant_night_pain", "night_pain", "urgent"),
        ("shooting_leg_pain", "radicular_pain", "review"),
        ("new_numbness_tingling", "radicular_pain", "review"),
        ("late_knee_thigh_ache", "late_implant_ache", "review"),
    ],
)
@pytest.mark.parametrize("kind", [EntryKind.VISIT, EntryKind.SELF_REPORT])
def test_a_single_red_flag_symptom_raises_its_flag(symptom, code, severity, kind):
    e = entry(symptoms={symptom}, kind=kind)
    [finding] = findings(e)
    assert finding.code == code
    assert finding.severity == severity
    assert finding.advice == FLAG_KINDS[code].advice
    assert (finding.entry_id, finding.entry_date) == (e.id, e.date)
    assert finding.message


@pytest.mark.parametrize("symptom", ["fever", "joint_pain", "weight_loss", "hip_click_catching"])
def test_a_symptom_that_only_counts_in_combination_raises_nothing_alone(symptom):
    assert findings(entry(symptoms={symptom})) == []


def test_an_entry_with_pain_and_no_symptoms_raises_nothing():
    pain = [score(loc, 9, ctx) for loc in LOCATIONS for ctx in CONTEXTS]
    assert findings(entry(pain=pain)) == []


def test_several_symptoms_of_one_row_raise_one_flag_naming_them():
    [finding] = findings(entry(symptoms={"calf_swelling", "calf_warmth"}))
    assert finding.message == "Calf swelling, warmth reported (operated leg)."


def test_cauda_equina_message_names_what_was_found():
    [finding] = findings(entry(symptoms={"saddle_numbness", "bladder_bowel_change"}))
    assert "saddle numbness" in finding.message.lower()
    assert "bladder" in finding.message


def test_findings_come_most_urgent_first():
    every_symptom = {code for code, _ in Symptom.choices}
    # A self-report, so that the patient-reported pain (severe: 8/10) is found too.
    result = findings(entry(symptoms=every_symptom, pain=[score(Location.ANTERIOR_HIP, 8)], kind=EntryKind.SELF_REPORT))
    assert [f.code for f in result] == list(ENTRY_FLAG_CODES)
    ranks = [severity_rank(f.severity) for f in result]
    assert ranks == sorted(ranks)


# Infection: fever plus joint pain or any pain score -------------------------------


def test_fever_with_joint_pain_raises_infection_signs():
    assert found_codes(entry(symptoms={"fever", "joint_pain"})) == ["infection_signs"]


def test_fever_with_knee_pain_1_raises_infection_signs():
    assert found_codes(entry(symptoms={"fever"}, pain=[knee(1, Context.REST)])) == ["infection_signs"]


def test_fever_with_knee_pain_0_raises_nothing():
    assert found_codes(entry(symptoms={"fever"}, pain=[knee(0)])) == []


def test_fever_without_any_pain_score_raises_nothing():
    assert found_codes(entry(symptoms={"fever"})) == []


@pytest.mark.parametrize("location", list(LOCATIONS))
@pytest.mark.parametrize("context", list(CONTEXTS))
def test_fever_with_pain_1_at_any_location_or_context_raises_infection_signs(location, context):
    e = entry(symptoms={"fever"}, pain=[score(location, 1, context)])
    assert found_codes(e) == ["infection_signs"]


def test_joint_pain_and_pain_scores_without_fever_raise_nothing():
    assert found_codes(entry(symptoms={"joint_pain"}, pain=[knee(8)])) == []


def test_infection_message_gives_the_highest_pain_score():
    e = entry(symptoms={"fever"}, pain=[knee(2), score(Location.LATERAL_HIP, 5)])
    [finding] = findings(e)
    assert "5/10" in finding.message


# Night pain ----------------------------------------------------------------------


def test_night_pain_message_mentions_weight_loss_when_present():
    [finding] = findings(entry(symptoms={"constant_night_pain", "weight_loss"}))
    assert finding.code == "night_pain"
    assert "weight loss" in finding.message


def test_night_pain_message_does_not_mention_weight_loss_when_absent():
    [finding] = findings(entry(symptoms={"constant_night_pain"}))
    assert "weight" not in finding.message


# Hip joint mechanical --------------------------------------------------------------


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_hip_click_with_anterior_hip_pain_1_raises_hip_joint_mechanical(context):
    e = entry(symptoms={"hip_click_catching"}, pain=[score(Location.ANTERIOR_HIP, 1, context)])
    [finding] = findings(e)
    assert (finding.code, finding.severity) == ("hip_joint_mechanical", "review")


def test_hip_click_with_anterior_hip_pain_0_raises_nothing():
    e = entry(symptoms={"hip_click_catching"}, pain=[score(Location.ANTERIOR_HIP, 0)])
    assert findings(e) == []


@pytest.mark.parametrize("location", [code for code in LOCATIONS if code != Location.ANTERIOR_HIP])
def test_hip_click_with_pain_elsewhere_raises_nothing(location):
    e = entry(symptoms={"hip_click_catching"}, pain=[score(location, 8)])
    assert findings(e) == []


def test_anterior_hip_pain_without_hip_click_raises_nothing():
    assert findings(entry(pain=[score(Location.ANTERIOR_HIP, 8)])) == []


# Late implant ache: derived from scores -------------------------------------------


def late_ache(on=84, now=3, prior=((56, 0),), location=Location.KNEE, prior_location=Location.KNEE):
    """Whether the derived rule fires for a score ``now`` on day ``on`` after
    surgery, given prior (day, score) pairs at ``prior_location``."""
    history = [entry(d, pain=[score(prior_location, s)], id=f"prior-{d}") for d, s in prior]
    e = entry(on, pain=[score(location, now)])
    return found_codes(e, history) == ["late_implant_ache"]


def test_derived_late_ache_is_raised_on_day_84_after_surgery():
    assert late_ache(on=84, prior=[(60, 0)])


def test_derived_late_ache_is_not_raised_on_day_83_after_surgery():
    assert not late_ache(on=83, prior=[(60, 0)])


def test_derived_late_ache_needs_a_score_of_3_not_2():
    assert late_ache(now=3)
    assert not late_ache(now=2)


def test_derived_late_ache_counts_a_prior_zero_exactly_28_days_before():
    assert late_ache(on=100, prior=[(72, 0)])


def test_derived_late_ache_ignores_a_prior_zero_29_days_before():
    assert not late_ache(on=100, prior=[(71, 0)])


def test_derived_late_ache_ignores_a_prior_zero_on_the_same_day():
    assert not late_ache(on=100, prior=[(100, 0)])


def test_derived_late_ache_is_blocked_by_a_prior_nonzero_score():
    assert not late_ache(on=100, prior=[(80, 0), (90, 1)])


def test_derived_late_ache_is_not_blocked_by_a_nonzero_score_before_the_window():
    assert late_ache(on=100, prior=[(71, 6), (90, 0)])


def test_derived_late_ache_needs_at_least_one_prior_score():
    assert not late_ache(on=100, prior=[])


def test_derived_late_ache_ignores_prior_back_hip_scores():
    assert not late_ache(on=100, prior=[(90, 0)], prior_location=Location.LUMBAR_BILATERAL)


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
@pytest.mark.parametrize("prior_location", [Location.KNEE, Location.ANTERIOR_THIGH])
def test_derived_late_ache_pools_knee_and_anterior_thigh(location, prior_location):
    assert late_ache(on=100, prior=[(90, 0)], location=location, prior_location=prior_location)


@pytest.mark.parametrize("location", sorted(BACK_HIP_LOCATIONS))
def test_derived_late_ache_ignores_a_back_hip_score_now(location):
    assert not late_ache(on=100, prior=[(90, 0)], location=location)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_derived_late_ache_counts_scores_in_any_context(context):
    history = [entry(90, pain=[knee(0, context)])]
    e = entry(100, pain=[knee(4, context)])
    assert found_codes(e, history) == ["late_implant_ache"]


def test_derived_late_ache_counts_prior_self_reports():
    history = [entry(90, kind=EntryKind.SELF_REPORT, pain=[knee(0)])]
    assert found_codes(entry(100, pain=[knee(3)]), history) == ["late_implant_ache"]


def test_derived_late_ache_is_raised_from_a_self_report():
    history = [entry(90, pain=[knee(0)])]
    e = entry(100, kind=EntryKind.SELF_REPORT, pain=[knee(3)])
    assert found_codes(e, history) == ["late_implant_ache"]


def test_derived_late_ache_skips_the_entry_itself_in_history():
    history = [entry(90, pain=[knee(0)])]
    e = entry(100, pain=[knee(3)])
    assert found_codes(e, [*history, e]) == ["late_implant_ache"]


def test_derived_late_ache_needs_a_surgery_date():
    history = [entry(90, pain=[knee(0)])]
    e = entry(100, pain=[knee(3)])
    assert entry_findings(e, surgery_date=None, history=history) == []


def test_derived_late_ache_message_gives_score_and_day():
    history = [entry(90, pain=[knee(0)])]
    [finding] = findings(entry(100, pain=[knee(5)]), history)
    assert "5/10" in finding.message
    assert "day 100" in finding.message


def test_symptom_and_derived_rule_together_raise_one_late_implant_ache():
    history = [entry(90, pain=[knee(0)])]
    e = entry(100, symptoms={"late_knee_thigh_ache"}, pain=[knee(4)])
    assert found_codes(e, history) == ["late_implant_ache"]


def test_late_knee_thigh_ache_symptom_needs_no_history_or_time_since_surgery():
    e = entry(10, symptoms={"late_knee_thigh_ache"})
    assert entry_findings(e, surgery_date=None, history=[]) != []


# Patient-reported pain (self-reports only) ------------------------------------


def self_report(on=40, pain=()):
    return entry(on, pain=pain, kind=EntryKind.SELF_REPORT)


def visit(on, pain=()):
    return entry(on, pain=pain, kind=EntryKind.VISIT)


@pytest.mark.parametrize("location", sorted(BACK_HIP_LOCATIONS))
@pytest.mark.parametrize("context", list(CONTEXTS))
def test_a_self_report_with_back_hip_pain_7_raises_patient_reported_pain(location, context):
    [finding] = findings(self_report(pain=[score(location, 7, context)]))
    assert (finding.code, finding.severity) == ("patient_reported_pain", "review")
    assert "7/10" in finding.message
    assert "within one working day" in finding.advice


def test_a_self_report_with_back_hip_pain_6_and_no_visit_raises_nothing():
    assert findings(self_report(pain=[score(Location.LUMBAR_BILATERAL, 6)])) == []


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
def test_a_self_report_with_knee_or_thigh_pain_9_is_not_back_hip_pain(location):
    assert found_codes(self_report(pain=[score(location, 9)])) == []


def test_a_visit_with_back_hip_pain_9_does_not_raise_patient_reported_pain():
    assert found_codes(visit(40, pain=[score(Location.LUMBAR_BILATERAL, 9)])) == []


@pytest.mark.parametrize("context", [Context.ACTIVITY, Context.REST])
def test_a_self_report_2_above_the_last_visit_raises_patient_reported_pain(context):
    history = [visit(30, [score(Location.LATERAL_HIP, 3, context)])]
    [finding] = findings(self_report(pain=[score(Location.LATERAL_HIP, 5, context)]), history)
    assert finding.code == "patient_reported_pain"
    assert "up from 3/10" in finding.message


@pytest.mark.parametrize("context", [Context.ACTIVITY, Context.REST])
def test_a_self_report_1_above_the_last_visit_raises_nothing(context):
    history = [visit(30, [score(Location.LATERAL_HIP, 3, context)])]
    assert findings(self_report(pain=[score(Location.LATERAL_HIP, 4, context)]), history) == []


def test_a_night_score_2_above_the_last_visit_raises_nothing():
    history = [visit(30, [score(Location.LATERAL_HIP, 3, Context.NIGHT)])]
    assert findings(self_report(pain=[score(Location.LATERAL_HIP, 5, Context.NIGHT)]), history) == []


def test_the_rise_compares_the_same_location_and_context_only():
    history = [visit(30, [score(Location.LATERAL_HIP, 1, Context.REST), score(Location.BUTTOCK_SI, 1)])]
    assert findings(self_report(pain=[score(Location.LATERAL_HIP, 5)]), history) == []


def test_the_rise_compares_with_the_latest_visit_before_the_report_only():
    history = [
        visit(20, [score(Location.LUMBAR_BILATERAL, 1)]),
        visit(30, [score(Location.LUMBAR_BILATERAL, 4)]),
        self_report(35, [score(Location.LUMBAR_BILATERAL, 1)]),  # not a visit: not the comparison
    ]
    assert findings(self_report(40, [score(Location.LUMBAR_BILATERAL, 5)]), history) == []


def test_a_visit_on_the_same_day_as_the_report_is_not_before_it():
    history = [visit(30, [score(Location.LUMBAR_BILATERAL, 4)]), visit(40, [score(Location.LUMBAR_BILATERAL, 1)])]
    assert findings(self_report(40, [score(Location.LUMBAR_BILATERAL, 5)]), history) == []
    history = [visit(30, [score(Location.LUMBAR_BILATERAL, 3)]), visit(40, [score(Location.LUMBAR_BILATERAL, 1)])]
    assert found_codes(self_report(40, [score(Location.LUMBAR_BILATERAL, 5)]), history) == ["patient_reported_pain"]


@pytest.mark.parametrize("symptom", ["breathlessness", "chest_pain"])
def test_pe_signs_is_an_emergency_with_patient_advice(symptom):
    [finding] = findings(entry(symptoms={symptom}, kind=EntryKind.SELF_REPORT))
    assert (finding.code, finding.severity) == ("pe_signs", "emergency")
    assert "emergency services" in FLAG_KINDS["pe_signs"].patient_advice
    assert "pulmonary embolism" in finding.advice


# The seed's advice, section by section, raises the severity it promises ----------


def _article_sections(slug):
    """{heading line: body} of a default education article."""
    from content.defaults.education import EDUCATION

    [article] = [a for a in EDUCATION if a["slug"] == slug]
    sections, heading = {}, None
    for line in article["body"].splitlines():
        if line.endswith(":"):
            heading = line
            sections[heading] = ""
        elif heading:
            sections[heading] += line + "\n"
    return sections


@pytest.mark.parametrize(
    ("heading", "phrase", "symptom", "severity"),
    [
        ("Go to an emergency department now", "saddle", "saddle_numbness", "emergency"),
        ("Call the emergency services", "shortness of breath", "breathlessness", "emergency"),
        ("Call the emergency services", "Chest pain", "chest_pain", "emergency"),
        ("Get seen the same day", "calf", "calf_swelling", "same_day"),
        ("Get seen the same day", "foot that drops", "foot_drop", "same_day"),
        ("Get seen the same day", "Rapidly worsening weakness", "progressive_weakness", "same_day"),
        ("Contact your clinic promptly", "all night", "constant_night_pain", "urgent"),
        ("Tell your physio at your next visit", "Shooting pain", "shooting_leg_pain", "review"),
    ],
)
def test_the_seed_when_to_get_help_advice_matches_the_flag_severity(heading, phrase, symptom, severity):
    sections = _article_sections("seek-same-day-care")
    [body] = [text for line, text in sections.items() if line.startswith(heading)]
    assert phrase in body
    [finding] = findings(entry(symptoms={symptom}, kind=EntryKind.SELF_REPORT))
    assert finding.severity == severity
