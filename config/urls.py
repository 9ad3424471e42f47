from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from followups.dashboard_views import landing_or_dashboard

urlpatterns = [
    path("", landing_or_dashboard, name="home"),
    path("dashboard/", include("followups.dashboard_urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("followups/", include("followups.urls")),
    path("admin/", admin.site.urls),
]
