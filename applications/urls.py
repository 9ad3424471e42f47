from django.urls import path

from applications import views

app_name = "applications"


def crud(prefix: str, plural: str, list_view, detail, create, update, delete) -> list:
    """The five pages every record has: list, detail, create, update, delete."""
    return [
        path(f"{plural}/", list_view.as_view(), name=f"{prefix}-list"),
        path(f"{plural}/new/", create.as_view(), name=f"{prefix}-create"),
        path(f"{plural}/<int:pk>/", detail.as_view(), name=f"{prefix}-detail"),
        path(f"{plural}/<int:pk>/edit/", update.as_view(), name=f"{prefix}-update"),
        path(f"{plural}/<int:pk>/delete/", delete.as_view(), name=f"{prefix}-delete"),
    ]


urlpatterns = [
    path("log-rejection/", views.LogRejection.as_view(), name="log-rejection"),
    path("applications/applied-before/", views.applied_before, name="applied-before"),
    path(
        "log-rejection/open-applications/",
        views.open_applications,
        name="log-rejection-open-applications",
    ),
    *crud(
        "company",
        "companies",
        views.CompanyList,
        views.CompanyDetail,
        views.CompanyCreate,
        views.CompanyUpdate,
        views.CompanyDelete,
    ),
    *crud(
        "application",
        "applications",
        views.ApplicationList,
        views.ApplicationDetail,
        views.ApplicationCreate,
        views.ApplicationUpdate,
        views.ApplicationDelete,
    ),
    *crud(
        "contact",
        "contacts",
        views.ContactList,
        views.ContactDetail,
        views.ContactCreate,
        views.ContactUpdate,
        views.ContactDelete,
    ),
    *crud(
        "interview",
        "interviews",
        views.InterviewList,
        views.InterviewDetail,
        views.InterviewCreate,
        views.InterviewUpdate,
        views.InterviewDelete,
    ),
    *crud(
        "rejection",
        "rejections",
        views.RejectionList,
        views.RejectionDetail,
        views.RejectionCreate,
        views.RejectionUpdate,
        views.RejectionDelete,
    ),
    *crud(
        "feedback",
        "feedback",
        views.FeedbackList,
        views.FeedbackDetail,
        views.FeedbackCreate,
        views.FeedbackUpdate,
        views.FeedbackDelete,
    ),
]
