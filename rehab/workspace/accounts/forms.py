from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=40, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )

    def __init__(self, *args, label=None, help_text=None, numeric=False, autofocus=True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if autofocus:
            field.widget.attrs["autofocus"] = True
        field.label = label or field.label
        field.help_text = help_text or ""
        if numeric:
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
