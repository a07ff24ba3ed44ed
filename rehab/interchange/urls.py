"""Import and export pages for staff."""

urlpatterns = []
