from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve

from rehab.health import healthz
from rehab.workspace.accounts.views import SignOutView

admin.site.site_header = "Kinetic administration"
admin.site.site_title = "Kinetic"
admin.site.index_title = "Clinic content and staff"


urlpatterns = [
    path("healthz", healthz),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),
    path("", include("rehab.workspace.accounts.urls")),
    path("admin/", admin.site.urls),
    path("p/", include("portal.urls")),
    path("", include("interchange.urls")),
    path("", include("rehab.workspace.urls")),
]

if settings.SERVE_MEDIA:
    # The quick start and tests; production's proxy serves the media volume.
    urlpatterns.insert(0, re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT},
    ))
