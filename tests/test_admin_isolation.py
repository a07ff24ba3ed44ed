"""Clinic isolation in the Django admin, proved by enumeration.

Every model registered in the admin gets a row in another clinic, and every
URL the admin serves for it (read from the admin's own URL patterns, history
pages included) is requested from the wrong clinic — GET and POST, as a
clinic admin and as a physio. Nothing of the other clinic may be shown and
nothing may be written. A model registered later is covered without editing
this file; it only needs a factory in tests/factories.py.
"""

import re

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.urls import URLPattern, URLResolver, reverse

from content.admin_scoping import CLINIC_PATHS
from patients.models import Clinic, User
from tests import factories
from tests.admin_pages import field_post

pytestmark = pytest.mark.django_db

REGISTRY = admin.site._registry
NEW_PASSWORD = "a-long-new-passphrase-for-the-test"


def label(model):
    return model._meta.label


def clinic_path(model):
    """How a row of `model` reaches its clinic ("pk" for Clinic), or None."""
    model_admin = REGISTRY.get(model)
    if model_admin is not None and hasattr(model_admin, "clinic_path"):
        return model_admin.clinic_path
    if model is Clinic:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    return next((path for path in CLINIC_PATHS if path.split("__")[0] in names), None)


def make_in_clinic(model, clinic):
    """A row of `model` belonging to `clinic`, built by the model's factory."""
    if model is Clinic:
        return clinic
    factory = getattr(factories, f"{model.__name__}Factory", None)
    assert factory is not None, f"{label(model)} is in the admin: add {model.__name__}Factory to tests/factories.py"
    path = clinic_path(model)
    assert path, f"{label(model)} is in the admin but has no path to a clinic"
    head, _, rest = path.partition("__")
    if not rest:
        return factory(**{head: clinic})
    parent_model = model._meta.get_field(head).related_model
    return factory(**{head: make_in_clinic(parent_model, clinic)})


def clinic_rows(clinic):
    """Everything stored for `clinic`, serialised, with its history rows: the
    requests below must leave it exactly as it was."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.app_label not in ("content", "patients", "rehab") or model.__name__.startswith("Historical"):
            continue
        path = clinic_path(model)
        if path is None:
            continue
        rows = model._default_manager.filter(**{path: clinic.pk}).order_by("pk")
        snapshot[label(model)] = serializers.serialize("json", rows)
        history = getattr(model, "history", None)
        if history is not None:
            snapshot[label(model) + " history"] = history.filter(
                **{"id" if path == "pk" else path: clinic.pk}
            ).count()
    return snapshot


def admin_urls_for(model, obj):
    """(name, url, takes_object) for every URL pattern the model's admin serves; the
    name is None for the unnamed "<object_id>/" pattern, which redirects to the change page."""
    opts = model._meta
    version = obj.history.order_by("-history_id").first().history_id if hasattr(obj, "history") else None
    for pattern in REGISTRY[model].urls:
        args = [str(value) for value in (obj.pk, version)][: pattern.pattern.regex.groups]
        if pattern.name:
            url = reverse(f"admin:{pattern.name}", args=args)
        else:  # e.g. "<path:object_id>/", which redirects to the change page
            route = str(pattern.pattern)
            for arg in args:
                route = re.sub(r"<[^>]+>", arg, route, count=1)
            url = f"/admin/{opts.app_label}/{opts.model_name}/{route}"
        yield pattern.name, url, bool(args)


def form_payload(response):
    """The data a user would send back from the form on `response`'s page,
    with text areas changed and passwords filled: a write, if it were allowed."""
    context = response.context
    data = {"post": "yes"}  # confirms a delete page
    if context is None or "adminform" not in context:
        return data
    form = context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.PasswordInput):
            value = NEW_PASSWORD
        elif isinstance(field.widget, forms.Textarea):
            value = f"Changed from another clinic. {value or ''}"
        data.update(field_post(field, name, value))
    for inline in context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("operator", "operator@example.org", "pw")


@pytest.fixture
def their_admin(other_clinic):
    return factories.ClinicAdminFactory(clinic=other_clinic, username="admin-hilltop")


def refused(response, *, physio=False, object_urls=()):
    """404 or 403; for a physio, the admin's redirect to its login page; or a
    redirect to another of the row's own URLs (tested in turn) — never a page
    of the other clinic, nor the admin's "Perhaps it was deleted?" redirect."""
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        target = response.url
        if physio:
            return "/admin/login/" in target
        return target in object_urls
    return False


@pytest.mark.parametrize("model", list(REGISTRY), ids=label)
def test_no_admin_url_shows_or_changes_another_clinics_row(
    client, model, clinic, other_clinic, clinic_admin, physio, superuser, their_admin
):
    mine = make_in_clinic(model, clinic)
    theirs = make_in_clinic(model, other_clinic)
    urls = list(admin_urls_for(model, theirs))
    assert any(takes_object for _, _, takes_object in urls)

    # The URLs are real: the service operator and the row's own clinic admin open them.
    payloads = {}
    for name, url, _ in urls:
        client.force_login(superuser)
        response = client.get(url, follow=not name)
        assert response.status_code == 200, (name, url)
        payloads[url] = form_payload(response)
        client.force_login(their_admin)
        own = client.get(url, follow=not name)
        assert own.status_code in (200, 403), (name, url, own.status_code)

    object_urls = {url for _, url, takes_object in urls if takes_object}
    before = clinic_rows(other_clinic)
    for user, is_physio in ((clinic_admin, False), (physio, True)):
        client.force_login(user)
        for name, url, takes_object in urls:
            for method in ("get", "post"):
                kwargs = {"data": payloads[url]} if method == "post" else {}
                response = getattr(client, method)(url, **kwargs)
                if takes_object or is_physio:
                    assert refused(response, physio=is_physio, object_urls=object_urls), (user.username, method, name, url,
                                                                 response.status_code)
                else:
                    assert response.status_code in (200, 302, 403), (user.username, method, name, url)
                    assert theirs.pk not in _listed_pks(response), (user.username, name, url)
    assert clinic_rows(other_clinic) == before

    client.force_login(clinic_admin)
    listing = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    if listing.status_code == 200:
        assert mine.pk in _listed_pks(listing)


def _listed_pks(response):
    context = response.context
    if context is None or "cl" not in context:
        return set()
    return {obj.pk for obj in context["cl"].result_list}


@pytest.mark.parametrize("model", list(REGISTRY), ids=label)
def test_list_filters_search_and_dates_offer_only_the_users_clinic(
    client, model, clinic, other_clinic, clinic_admin, superuser
):
    mine = make_in_clinic(model, clinic)
    theirs = make_in_clinic(model, other_clinic)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.force_login(superuser)
    everything = client.get(url).context["cl"]
    their_choices = _filter_choices(everything) - _owned_choices(everything, clinic)
    client.force_login(clinic_admin)
    response = client.get(url)
    if response.status_code == 403:
        return
    changelist = response.context["cl"]
    leaked = _filter_choices(changelist) & their_choices
    assert not leaked, f"filters offer another clinic's rows: {leaked}"
    assert mine.pk in _listed_pks(response) and theirs.pk not in _listed_pks(response)
    # Searching for the other clinic's row, or filtering on its related rows, finds nothing.
    for term in _search_terms(model, theirs):
        assert theirs.pk not in _listed_pks(client.get(url, {"q": term}))
    for param, value in their_choices:
        assert theirs.pk not in _listed_pks(client.get(url, {param: value}))


def _filter_choices(changelist):
    """(filter parameter, value) of every related-object choice the filters offer."""
    offered = set()
    for spec in changelist.filter_specs:
        if isinstance(spec, admin.RelatedFieldListFilter):
            offered |= {(spec.lookup_kwarg, str(pk)) for pk, _ in spec.lookup_choices}
    return offered


def _owned_choices(changelist, clinic):
    owned = set()
    for spec in changelist.filter_specs:
        if isinstance(spec, admin.RelatedFieldListFilter):
            related = spec.field.related_model
            path = clinic_path(related)
            pks = related._default_manager.filter(**{path: clinic.pk}).values_list("pk", flat=True)
            owned |= {(spec.lookup_kwarg, str(pk)) for pk in pks}
    return owned


def _search_terms(model, obj):
    terms = []
    for field in REGISTRY[model].search_fields:
        value = obj
        for part in field.lstrip("^=@").split("__"):
            value = getattr(value, part, None)
        if value:
            terms.append(str(value)[:30])
    return terms


def autocomplete_sources():
    for model, model_admin in REGISTRY.items():
        for inline in model_admin.inlines:
            for field in inline.autocomplete_fields:
                yield inline.model, field
        for field in model_admin.autocomplete_fields:
            yield model, field


@pytest.mark.parametrize("source", list(autocomplete_sources()), ids=lambda s: f"{label(s[0])}.{s[1]}")
def test_autocomplete_offers_only_the_users_clinic(client, source, clinic, other_clinic, clinic_admin):
    model, field_name = source
    related = model._meta.get_field(field_name).related_model
    mine, theirs = make_in_clinic(related, clinic), make_in_clinic(related, other_clinic)
    client.force_login(clinic_admin)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name,
    })
    assert response.status_code == 200
    offered = {row["id"] for row in response.json()["results"]}
    assert str(mine.pk) in offered and str(theirs.pk) not in offered


def site_urls():
    """The admin site's own URL patterns (not a model's)."""
    for entry in admin.site.get_urls():
        if isinstance(entry, URLPattern) and entry.name:
            yield entry.name
        elif not isinstance(entry, URLResolver | URLPattern):
            raise AssertionError(entry)


@pytest.mark.parametrize("name", list(site_urls()))
def test_admin_site_pages_show_nothing_of_another_clinic(client, name, clinic, other_clinic, clinic_admin):
    theirs = {model: make_in_clinic(model, other_clinic) for model in REGISTRY}
    client.force_login(clinic_admin)
    if name == "view_on_site":
        for model, obj in theirs.items():
            content_type = ContentType.objects.get_for_model(model)
            response = client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
            if response.status_code == 302:  # a model with get_absolute_url: its page must refuse
                response = client.get(response.url)
            assert response.status_code == 404, (label(model), response.status_code)
        return
    cases = {
        "index": [reverse("admin:index")],
        "app_list": [reverse("admin:app_list", args=[app]) for app in {m._meta.app_label for m in REGISTRY}],
        "login": [], "logout": [], "password_change": [reverse("admin:password_change")],
        "password_change_done": [reverse("admin:password_change_done")],
        "autocomplete": [], "jsi18n": [reverse("admin:jsi18n")],
    }
    assert name in cases, f"new admin site URL {name!r}: add how to request it here"
    for url in cases[name]:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404)
        body = response.content.decode()
        assert other_clinic.name not in body
        for obj in theirs.values():
            if len(str(obj.pk)) == 36:  # a UUID cannot turn up by chance
                assert str(obj.pk) not in body, (url, label(type(obj)))


@pytest.mark.parametrize("model", list(REGISTRY), ids=label)
def test_change_forms_and_their_inlines_offer_only_the_users_clinics_rows(client, model, clinic, other_clinic,
                                                                         clinic_admin):
    """Every choice of a related row on a change page (an exit criterion's
    questionnaire, a template's exercise, a patient's physio) is the clinic's
    own: another clinic's row of each related model is made first, and must
    not be offered."""
    mine = make_in_clinic(model, clinic)
    client.force_login(clinic_admin)
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[mine.pk]))
    if response.status_code != 200:
        return
    forms_on_page = [response.context["adminform"].form]
    forms_on_page += [inline.formset.empty_form for inline in response.context.get("inline_admin_formsets", [])]
    checked = 0
    for form in forms_on_page:
        for name, field in form.fields.items():
            related = getattr(getattr(field, "queryset", None), "model", None)
            path = related and clinic_path(related)
            # An inline row's own hidden id is looked up in its parent's rows, never offered.
            if not path or related is ContentType or isinstance(field.widget, forms.HiddenInput):
                continue
            theirs = make_in_clinic(related, other_clinic)
            assert theirs.pk not in set(field.queryset.values_list("pk", flat=True)), (label(model), name)
            checked += 1
    if model._meta.label == "content.Phase":
        assert checked >= 2  # the criteria's questionnaire and the template's exercise
