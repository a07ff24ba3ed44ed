"""The patient portal (no login): /p/<token>/ ... — filled in by the portal work."""

urlpatterns = []
