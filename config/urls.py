from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from dashboard.views import landing_or_dashboard

urlpatterns = [
    path("", landing_or_dashboard, name="home"),
    path("dashboard/", include("dashboard.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("", include("goals.urls")),
    path("followups/", include("followups.urls")),
    path("capture/", include("capture.urls")),
    path("", include("watch.urls")),
    path("my-data/", include("mydata.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.request_limits.bad_request"
