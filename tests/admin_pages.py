"""Using the admin's pages as a browser would: read the form a page shows,
change it, post it back. Shared by the content and rehab tests."""

from django import forms
from django.urls import reverse

from content.instruments import Instrument


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(response):
    """The POST a browser would send for the admin page in `response`, as shown."""
    data = {}
    context = response.context
    forms_on_page = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    for form in forms_on_page:
        for name, field in form.fields.items():
            data.update(field_post(field, form.add_prefix(name), form[name].value()))
    return data


def field_post(field, key, value) -> dict:
    """What a browser posts for a form field showing `value` under `key`:
    nothing for an empty value or a box left unticked, a part per sub-widget."""
    if value is None:
        return {}
    if isinstance(field.widget, forms.MultiWidget):
        return {f"{key}_{index}": "" if part is None else str(part)
                for index, part in enumerate(field.widget.decompress(value))}
    if isinstance(field.widget, forms.CheckboxInput) or isinstance(value, bool):
        return {key: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {key: [str(v) for v in value]}
    return {key: str(value)}


def add_inline_row(data, prefix, **values):
    """Fill the next empty row of the inline `prefix` ("exit_criteria"); its row prefix."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return f"{prefix}-{index}"


def made_up_index_data(code="made_up_odi", name="Made-up disability index"):
    """The admin's add form for an Oswestry-like questionnaire, made up for
    tests: five sections answered 0, 5, 10, 15 or 20, scored by their sum
    (0–100), a lower score being better."""
    data = {
        "code": code, "name": name, "instructions": "Tick one statement per section.",
        "order": "9", "is_active": "on", "scheduled": "on", "scoring": "sum", "higher_is_better": "",
        "conversion_source": "", "meaningful_change": "10", "meaningful_change_source": "Made-up study, 2020",
        "min_items": "", "max_items": "", "loinc_panel": "", "loinc_score": "",
        "items-TOTAL_FORMS": "5", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "options-TOTAL_FORMS": "5", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "conversion_rows-TOTAL_FORMS": "0", "conversion_rows-INITIAL_FORMS": "0",
        "conversion_rows-MIN_NUM_FORMS": "0", "conversion_rows-MAX_NUM_FORMS": "1000",
    }
    for n, text in enumerate(["Pain intensity", "Lifting", "Walking", "Sitting", "Standing"]):
        data.update({f"items-{n}-order": str(n + 1), f"items-{n}-text": text, f"items-{n}-stem": "",
                     f"items-{n}-loinc": ""})
    for n in range(5):
        data.update({f"options-{n}-value": str(5 * n), f"options-{n}-label": ""})
    return data


def instrument_added(client, data):
    """Post `data` to the questionnaire admin's add page; the new questionnaire."""
    response = client.post(reverse("admin:content_instrument_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Instrument.objects.filter(code=data["code"]).latest("pk")
