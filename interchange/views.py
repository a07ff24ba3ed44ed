"""Import (clinic admins) and export (all clinic staff) pages.

Every page is scoped to the user's clinic: a job of another clinic answers
404; inside the clinic, importing is for clinic admins only (403).
"""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, JsonResponse, StreamingHttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from interchange import jobs
from interchange.csv_export import iter_caseload_csv
from interchange.exporter import iter_caseload_json
from interchange.fhir import iter_caseload_fhir
from interchange.models import ImportJob
from interchange.uploads import UploadSizeLimit, upload_limit_bytes, upload_limit_message
from rehab.db_routers import replica_reads

ERRORS_SHOWN = 500
# Django's own limits on a request body (fields, files, non-file data) raise
# while the body is read; the page says what happened instead of a bare 400.
UNREADABLE_UPLOAD = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError,
                     UnreadablePostError)


def _clinic_of(user):
    if not user.is_authenticated or user.clinic_id is None:
        raise Http404
    return user.clinic


def _require_clinic_admin(user):
    if not user.is_clinic_admin:
        raise PermissionDenied("Only a clinic admin can import a caseload.")


def get_import_job_for_user(user, job_id) -> ImportJob:
    clinic = _clinic_of(user)
    job = get_object_or_404(ImportJob.objects.select_related("uploaded_by"), pk=job_id, clinic=clinic)
    _require_clinic_admin(user)
    return job


class UploadForm(forms.Form):
    """Takes the file only: reading and validating it is the check task's job."""

    file = forms.FileField(
        label="Caseload file",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = (
            f"A rehab-caseload/1 JSON file, UTF-8, up to {settings.IMPORT_MAX_UPLOAD_MB} MB. "
            "Nothing is written until you confirm."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Check the file"))

    def clean(self):
        if self.too_large:
            # The size handler stopped reading the file: say why it is missing.
            self.errors.pop("file", None)
            raise forms.ValidationError(upload_limit_message())
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_limit_bytes():
            raise forms.ValidationError(upload_limit_message())
        return upload


class ExportForm(forms.Form):
    FORMATS = (
        ("json", "JSON (rehab-caseload/1, re-importable, with computed fields)"),
        ("csv", "CSV, one row per pain score (for spreadsheets)"),
        ("fhir", "FHIR R4 bundle"),
    )
    format = forms.ChoiceField(choices=FORMATS, widget=forms.RadioSelect, initial="json")
    as_of = forms.DateField(
        label="Evaluate criteria and weeks as of", required=False,
        widget=forms.DateInput(attrs={"type": "date"}), help_text="JSON only. Leave empty for today.",
    )

    # The first programmes Kinetic tracks, and a clinic's today: an evaluation outside is a typing slip.
    EARLIEST_AS_OF = dt.date(2000, 1, 1)

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("caseload_export_download")
        self.helper.add_input(Submit("submit", "Download"))

    def clean(self):
        data = super().clean()
        as_of = data.get("as_of")
        if as_of is None or data.get("format") != "json":
            return data  # only the JSON export evaluates anything as of a date
        if self.today is not None and as_of > self.today:
            self.add_error("as_of", f"Choose a day up to today ({self.today:%d %b %Y}): "
                                    "criteria and weeks are worked out from what has been recorded.")
        elif as_of < self.EARLIEST_AS_OF:
            self.add_error("as_of", f"Choose a day from {self.EARLIEST_AS_OF:%d %b %Y} on: check the year.")
        return data


@login_required
@csrf_exempt
def import_upload(request):
    """The size limit must be in place before anything reads the body, and the
    CSRF check reads it: so CSRF is checked inside, once the limit is set
    (Django's documented pattern for per-view upload handlers)."""
    _clinic_of(request.user)
    _require_clinic_admin(request.user)
    request.upload_handlers.insert(0, UploadSizeLimit(request))
    try:
        return _import_upload(request)
    except UNREADABLE_UPLOAD:
        problem = ("The upload could not be read. Choose the file again and send it with “Check the file”; "
                   "if this happens again, the file may be too large for the page.")
        return _upload_page(request, UploadForm(), status=400, problem=problem)


@csrf_protect
def _import_upload(request):
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES, too_large=request.upload_too_large)
    if not form.is_valid():
        return _upload_page(request, form, status=413 if request.upload_too_large else 200)
    upload = form.cleaned_data["file"]
    job = jobs.import_job_create(user=request.user, filename=upload.name, upload=upload)
    return redirect("caseload_import_job", job_id=job.pk)


def _upload_page(request, form, *, status=200, problem=""):
    recent = ImportJob.objects.filter(clinic=request.user.clinic).select_related("uploaded_by")[:10]
    return render(request, "interchange/import_upload.html",
                  {"form": form, "recent": recent, "problem": problem, "nav": "import"}, status=status)


@login_required
def import_job_detail(request, job_id):
    job = get_import_job_for_user(request.user, job_id)
    errors = job.report.get("errors", [])
    return render(request, "interchange/import_job.html", {
        "job": job,
        "errors": errors[:ERRORS_SHOWN],
        "errors_hidden": max(job.errors_total - ERRORS_SHOWN, 0),
        "done": jobs.import_job_progress(job),
        "large": job.patients_total > jobs.BACKGROUND_IMPORT_PATIENTS,
        "nav": "import",
    })


@login_required
def import_job_confirm(request, job_id):
    """Only a POST writes; opened as a page (a bookmark, the way back from
    signing in again) it leads to the job's page, after the same clinic check."""
    job = get_import_job_for_user(request.user, job_id)
    if request.method == "POST":
        jobs.import_job_confirm(job=job)
    return redirect("caseload_import_job", job_id=job.pk)


@login_required
@require_GET
def import_job_status(request, job_id):
    job = get_import_job_for_user(request.user, job_id)
    return JsonResponse({
        "status": job.status,
        "patients_total": job.patients_total,
        "patients_done": jobs.import_job_progress(job),
        "finished": job.status in (ImportJob.DONE, ImportJob.FAILED),
        "url": reverse("caseload_import_job", args=[job.pk]),
    })


@login_required
def export_page(request):
    _clinic_of(request.user)
    return render(request, "interchange/export.html", {"form": ExportForm(), "nav": "export"})


@login_required
@require_GET
def export_download(request):
    clinic = _clinic_of(request.user)
    form = ExportForm(request.GET, today=clinic.today())
    if not form.is_valid():
        return render(request, "interchange/export.html", {"form": form, "nav": "export"}, status=400)
    fmt = form.cleaned_data["format"]
    as_of = form.cleaned_data["as_of"] if fmt == "json" else None  # the other formats hold no computed fields
    stamp = (as_of or clinic.today()).isoformat()
    if fmt == "csv":
        pieces, content_type, ext = iter_caseload_csv(clinic), "text/csv; charset=utf-8", "csv"
    elif fmt == "fhir":
        pieces, content_type, ext = iter_caseload_fhir(clinic), "application/fhir+json", "fhir.json"
    else:
        pieces, content_type, ext = iter_caseload_json(clinic, as_of=as_of), "application/json", "json"
    response = StreamingHttpResponse((piece.encode("utf-8") for piece in replica_reads(pieces)),
                                     content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="caseload-{clinic.slug}-{stamp}.{ext}"'
    response["Cache-Control"] = "no-store"
    return response


