from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from rehab.middleware import ClinicTimezoneMiddleware
from tests.factories import ClinicFactory, PhysioFactory


def current_zone(request):
    return HttpResponse(timezone.get_current_timezone_name())


def test_staff_pages_speak_in_their_clinics_time_zone(db):
    physio = PhysioFactory(clinic=ClinicFactory(slug="akl", name="Auckland", time_zone="Pacific/Auckland"))
    request = RequestFactory().get("/")
    request.user = physio
    assert ClinicTimezoneMiddleware(current_zone)(request).content == b"Pacific/Auckland"
    assert timezone.get_current_timezone_name() == "UTC"


def test_visitors_without_a_clinic_get_utc():
    request = RequestFactory().get("/p/whatever/")
    request.user = AnonymousUser()
    assert ClinicTimezoneMiddleware(current_zone)(request).content == b"UTC"
