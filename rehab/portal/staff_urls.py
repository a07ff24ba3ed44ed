"""Staff-side pages for plans, portal links and the content library."""

urlpatterns = []
