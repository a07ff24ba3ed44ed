"""The patient registration and correction form, for physios and clinic admins."""

from django import forms

from patients.models import Patient
from rehab.registration import REGISTRATION_FIELDS
from rehab.workspace.selectors import clinic_physios

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatientForm(forms.ModelForm):
    """Field-level checks in the clinic's words; the model's own clean() (the
    surgery after the birth, the physio of the same clinic) runs too."""

    class Meta:
        model = Patient
        fields = REGISTRATION_FIELDS
        labels = {"ref": "Clinic reference", "physio": "Assigned physiotherapist", "email": "Email (optional)"}
        help_texts = {"ref": "The clinic's own patient number; it names the patient in imports and exports.",
                      "email": "Where the portal link can be sent."}
        widgets = {"date_of_birth": DATE, "surgery_date": DATE, "programme_start": DATE,
                   "operated_side": forms.RadioSelect}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.instance.clinic = clinic
        self.fields["physio"].queryset = clinic_physios(clinic)
        self.fields["physio"].empty_label = "Not assigned yet"
        self.fields["physio"].label_from_instance = lambda user: user.display_name
        self.fields["operated_side"].choices = Patient._meta.get_field("operated_side").choices
        self.fields["surgery_date"].label = "Knee replacement surgery"
        self.fields["operated_side"].label = "Operated knee"

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        taken = Patient.objects.filter(clinic=self.clinic, ref__iexact=ref).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(f"{taken.ref} is already {taken.full_name}'s reference.")
        return ref

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born >= self.clinic.today():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born

    def clean_surgery_date(self):
        surgery = self.cleaned_data["surgery_date"]
        if surgery > self.clinic.today():
            raise forms.ValidationError("The surgery date cannot be in the future.")
        first = self.instance.entries.order_by("date").first() if self.instance.pk else None
        if first is not None and surgery > first.date:
            raise forms.ValidationError(
                f"There is a {first.get_kind_display().lower()} on {first.date:%d %b %Y}, before this date.")
        return surgery

    def clean(self):
        data = super().clean()
        surgery, start = data.get("surgery_date"), data.get("programme_start")
        if surgery and start and start < surgery:
            self.add_error("programme_start", "The programme cannot start before the surgery.")
        return data

    def registration_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REGISTRATION_FIELDS}
