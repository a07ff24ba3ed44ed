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
        self.same_person = None
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

    # Who has a knee replaced: an adult, and no one older than anyone has
    # been. A date outside these is a slip of the year.
    AGE_AT_SURGERY = (18, 110)
    # A programme booked ahead starts within weeks; a year ahead is a typing slip.
    START_AHEAD_DAYS = 90
    # A programme runs for months: registered years after it started, the year is a slip.
    START_BEHIND_DAYS = 730

    confirm_same_person = forms.BooleanField(
        label="This is a different person: register anyway", required=False,
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born >= self.clinic.today():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born

    def clean_programme_start(self):
        start = self.cleaned_data["programme_start"]
        today = self.clinic.today()
        if (start - today).days > self.START_AHEAD_DAYS:
            raise forms.ValidationError(
                f"The programme would start on {start:%d %b %Y}, more than three months from today: check the year.")
        if (today - start).days > self.START_BEHIND_DAYS and self.instance._state.adding:
            raise forms.ValidationError(
                f"The programme would have started on {start:%d %b %Y}, more than two years ago: check the year.")
        moved = None if self.instance._state.adding else self.instance.phase_transitions.order_by("date").first()
        if moved is not None and start > moved.date:
            raise forms.ValidationError(
                f"{self.instance.given_name} moved phase on {moved.date:%d %b %Y}, inside the programme: "
                "it cannot start after that.")
        return start

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
        surgery, start, born = data.get("surgery_date"), data.get("programme_start"), data.get("date_of_birth")
        if surgery and start and start < surgery:
            self.add_error("programme_start", "The programme cannot start before the surgery.")
        if surgery and born and born < surgery:
            age = surgery.year - born.year - ((surgery.month, surgery.day) < (born.month, born.day))
            youngest, oldest = self.AGE_AT_SURGERY
            if not youngest <= age <= oldest:
                self.add_error("date_of_birth", f"This date of birth makes the patient {age} at the surgery: "
                                                "check the year.")
        self._check_same_person(data)
        return data

    def _check_same_person(self, data):
        """Registering someone the clinic already has (same name and date of
        birth) asks to be sure: twins of one name are rare, a second record
        of one patient splits their history."""
        if not self.instance._state.adding or data.get("confirm_same_person"):
            return
        given, family, born = data.get("given_name"), data.get("family_name"), data.get("date_of_birth")
        if not (given and family and born):
            return
        same = Patient.objects.filter(clinic=self.clinic, given_name__iexact=given.strip(),
                                      family_name__iexact=family.strip(), date_of_birth=born).first()
        if same is not None:
            self.same_person = same
            self.add_error(None, f"{same.full_name}, born {born:%d %b %Y}, is already registered as {same.ref}. "
                                 "Open their record instead, or, if this is a different person, tick "
                                 "“register anyway” below.")

    def registration_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REGISTRATION_FIELDS}
