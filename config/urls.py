from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from followups.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("followups/", include("followups.urls")),
    path("admin/", admin.site.urls),
]
