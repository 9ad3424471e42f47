"""The project's URLs as they will be once the lead wires the dashboard and the goals.

config/urls.py will get `path("", landing_or_dashboard, name="home")` and
`path("dashboard/", include("followups.dashboard_urls"))`, and applications/urls.py will
include `goal_urls.urlpatterns`; until then the dashboard and goal tests use this module.
The goal pages of `applications.goal_urls` come first and win over any pattern of the same
name in applications/urls.py.
"""

from django.urls import include, path

from applications import goal_urls
from applications import urls as application_urls
from config.urls import urlpatterns as project_urlpatterns
from followups.dashboard_views import landing_or_dashboard

_GOAL_NAMES = {p.name for p in goal_urls.urlpatterns}
_RECORDS = [p for p in application_urls.urlpatterns if getattr(p, "name", None) not in _GOAL_NAMES]

urlpatterns = [
    path("", landing_or_dashboard, name="home"),
    path("dashboard/", include("followups.dashboard_urls")),
    path("", include((goal_urls.urlpatterns + _RECORDS, "applications"))),
    *[
        p
        for p in project_urlpatterns
        if getattr(p, "name", None) != "home"
        and getattr(p, "namespace", None) not in {"applications", "dashboard"}
    ],
]
