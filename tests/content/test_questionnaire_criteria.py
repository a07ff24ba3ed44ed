"""An exit criterion on a questionnaire the clinic added (DESIGN §9, issue
12 item 5), set in the admin the way the other criteria are: the phase's
own clinic's questionnaires only, a target checked against the range its
scores run and the way they get better, and a questionnaire in use kept from
being deleted or retired under the criterion."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.urls import reverse

from content.admin_forms import ExitCriterionForm
from content.instruments import Instrument
from content.models import ExitCriterion
from patients.models import User
from tests.admin_pages import add_inline_row, change_url, form_data, instrument_added, made_up_index_data
from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(admin_client):
    """The made-up Oswestry-like index (sum 0–100, lower is better), added through the admin."""
    return instrument_added(admin_client, made_up_index_data())


def post_criterion(admin_client, phase, **values):
    data = form_data(admin_client.get(change_url(phase)))
    add_inline_row(data, "exit_criteria", **values)
    return admin_client.post(change_url(phase), data)


def page_text(response):
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def criteria(phase):
    return list(phase.exit_criteria.order_by("id").values_list("measure", "instrument_id", "comparator", "threshold"))


def test_a_questionnaire_added_in_the_admin_becomes_an_exit_criterion_of_a_phase(admin_client, integrate, index):
    response = post_criterion(admin_client, integrate, instrument=str(index.pk), comparator="<=", threshold="20")
    assert response.status_code == 302
    criterion = integrate.exit_criteria.get(instrument=index)
    assert (criterion.measure, criterion.comparator, criterion.threshold) == (None, "<=", 20)
    assert str(criterion) == "Made-up disability index ≤ 20"
    # Shown back on the phase page as set, and saved again unchanged.
    data = form_data(admin_client.get(change_url(integrate)))
    assert str(index.pk) in data.values()
    assert admin_client.post(change_url(integrate), data).status_code == 302
    assert integrate.exit_criteria.filter(instrument=index).count() == 1


@pytest.mark.parametrize(("comparator", "threshold", "message"), [
    ("<=", "120", "Made-up disability index scores run 0–100; 120 is out of range."),
    (">=", "20", "A lower Made-up disability index score is better: choose ≤ (at most)."),
    ("==", "20", "A lower Made-up disability index score is better: choose ≤ (at most)."),
    ("<=", "100", "Every Made-up disability index score is at most 100: choose a target patients work towards."),
    ("", "20", "Choose ≥ (at least) or ≤ (at most) for Made-up disability index."),
    ("<=", "", "Enter the Made-up disability index score the patient must reach."),
])
def test_a_target_the_questionnaire_cannot_score_is_refused_in_words_and_nothing_is_written(
    admin_client, integrate, index, comparator, threshold, message
):
    before = criteria(integrate)
    response = post_criterion(admin_client, integrate, instrument=str(index.pk), comparator=comparator,
                              threshold=threshold)
    assert response.status_code == 200
    assert message in page_text(response)
    assert criteria(integrate) == before


def test_a_higher_is_better_questionnaire_takes_at_least(admin_client, integrate, clinic):
    data = made_up_index_data(code="made_up_function", name="Made-up function scale")
    data["higher_is_better"] = "on"
    function = instrument_added(admin_client, data)
    response = post_criterion(admin_client, integrate, instrument=str(function.pk), comparator="<=", threshold="60")
    assert "A higher Made-up function scale score is better: choose ≥ (at least)." in page_text(response)
    assert post_criterion(admin_client, integrate, instrument=str(function.pk), comparator=">=",
                          threshold="60").status_code == 302


def test_another_clinics_questionnaire_is_not_offered_and_is_refused(admin_client, integrate, other_clinic, index):
    theirs = InstrumentFactory(clinic=other_clinic, name="Hilltop's own index")
    response = admin_client.get(change_url(integrate))
    offered = response.context["inline_admin_formsets"][0].formset.form.base_fields["instrument"].queryset
    assert index in offered and theirs not in offered
    assert "Hilltop's own index" not in page_text(response)
    before = criteria(integrate)
    response = post_criterion(admin_client, integrate, instrument=str(theirs.pk), comparator="<=", threshold="2")
    assert response.status_code == 200 and "Select a valid choice" in page_text(response)
    assert criteria(integrate) == before
    # The form on its own (no admin to narrow the choices) and the model say it in words.
    form = ExitCriterionForm({"instrument": theirs.pk, "comparator": "<=", "threshold": "2"},
                             instance=ExitCriterion(phase=integrate))
    assert form.errors == {"instrument": ["Choose one of your clinic's questionnaires."]}
    with pytest.raises(Exception) as error:
        ExitCriterion(phase=integrate, instrument=theirs, comparator="<=", threshold=2).full_clean()
    assert error.value.message_dict["instrument"] == ["Choose one of your clinic's questionnaires."]


def test_the_operator_is_offered_only_the_phases_own_clinics_questionnaires(client, integrate, other_clinic, index):
    theirs = InstrumentFactory(clinic=other_clinic)
    client.force_login(User.objects.create_superuser("operator", "operator@example.org", "pw"))
    offered = client.get(change_url(integrate)).context["inline_admin_formsets"][0].formset.form.base_fields[
        "instrument"].queryset
    assert index in offered and theirs not in offered


def test_the_seeded_questionnaires_stay_in_the_measure_list(admin_client, integrate, clinic):
    koos = Instrument.objects.get(clinic=clinic, code="koos_jr")
    offered = admin_client.get(change_url(integrate)).context["inline_admin_formsets"][0].formset.form.base_fields[
        "instrument"].queryset
    assert koos not in offered
    form = ExitCriterionForm({"instrument": koos.pk, "comparator": ">=", "threshold": "70"},
                             instance=ExitCriterion(phase=integrate))
    assert form.errors == {"instrument": [f"{koos.name} is in the measure list: choose it under “Measure”."]}


def test_a_criterion_reads_a_measure_or_a_questionnaire_never_both_nor_neither(admin_client, integrate, index):
    before = criteria(integrate)
    response = post_criterion(admin_client, integrate, measure="tug_s", instrument=str(index.pk), comparator="<=",
                              threshold="20")
    assert "Choose a measure or a questionnaire: one of the two." in page_text(response)
    response = post_criterion(admin_client, integrate, comparator="<=", threshold="20")
    assert "Choose a measure, or a questionnaire your clinic added." in page_text(response)
    assert criteria(integrate) == before
    for measure, instrument in (("tug_s", index), (None, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExitCriterion.objects.create(phase=integrate, measure=measure, instrument=instrument, comparator="<=",
                                         threshold=20)


def test_a_second_criterion_on_the_same_questionnaire_is_refused_in_words(admin_client, integrate, index):
    ExitCriterion.objects.create(phase=integrate, instrument=index, comparator="<=", threshold=30)
    before = criteria(integrate)
    response = post_criterion(admin_client, integrate, instrument=str(index.pk), comparator="<=", threshold="20")
    assert "A criterion for this questionnaire already exists in this phase" in page_text(response)
    assert criteria(integrate) == before
    # Two questionnaires in one phase are two criteria, not duplicates of one another.
    other = instrument_added(admin_client, made_up_index_data(code="made_up_neck", name="Made-up neck index"))
    assert post_criterion(admin_client, integrate, instrument=str(other.pk), comparator="<=",
                          threshold="20").status_code == 302


def test_a_questionnaire_a_criterion_reads_is_neither_deleted_nor_retired_under_it(
    admin_client, client, integrate, index
):
    ExitCriterion.objects.create(phase=integrate, instrument=index, comparator="<=", threshold=20)
    with pytest.raises(RestrictedError), transaction.atomic():
        index.delete()
    # The operator's delete page says what is in the way, and deletes nothing.
    client.force_login(User.objects.create_superuser("operator", "operator@example.org", "pw"))
    url = reverse("admin:content_instrument_delete", args=[index.pk])
    page = page_text(client.get(url))
    assert "the Integrate exit criterion “Made-up disability index ≤ 20”" in page
    client.post(url, {"post": "yes"})
    assert Instrument.objects.filter(pk=index.pk).exists()
    # A clinic admin retiring it is told why not.
    admin_client.force_login(User.objects.get(username="admin-riverside"))
    data = form_data(admin_client.get(change_url(index)))
    data.pop("is_active")
    response = admin_client.post(change_url(index), data)
    assert ("Made-up disability index is an exit criterion of Integrate: remove that criterion before retiring it."
            in page_text(response))
    index.refresh_from_db()
    assert index.is_active


def test_a_questionnaire_cannot_take_a_measures_code(admin_client):
    response = admin_client.post(reverse("admin:content_instrument_add"), made_up_index_data(code="tug_s"))
    assert "“tug_s” is the code of a measure (Timed Up and Go (s)): choose another." in page_text(response)
    assert not Instrument.objects.filter(code="tug_s").exists()


def test_a_questionnaires_code_is_fixed_once_saved(admin_client, index):
    """Exports, imports and criteria name it by its code: renaming it would
    orphan every file exported before."""
    page = admin_client.get(change_url(index))
    assert "code" not in page.context["adminform"].form.fields
    data = form_data(page)
    data["code"] = "renamed"
    assert admin_client.post(change_url(index), data).status_code == 302
    index.refresh_from_db()
    assert index.code == "made_up_odi"


def test_the_phase_library_lists_the_questionnaire_criterion(client, physio, integrate, index):
    ExitCriterion.objects.create(phase=integrate, instrument=index, comparator="<=", threshold=20)
    client.force_login(physio)
    assert "Made-up disability index: ≤ 20" in page_text(client.get(reverse("library")))
