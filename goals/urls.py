"""Improvement goal pages, included at the site root ("goals/...", "feedback/<pk>/goals/")."""

from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("goals/", views.GoalList.as_view(), name="goal-list"),
    path("goals/new/", views.GoalCreate.as_view(), name="goal-create"),
    path("goals/<int:pk>/", views.GoalDetail.as_view(), name="goal-detail"),
    path("goals/<int:pk>/edit/", views.GoalUpdate.as_view(), name="goal-update"),
    path("goals/<int:pk>/delete/", views.GoalDelete.as_view(), name="goal-delete"),
    path("goals/<int:pk>/complete/", views.goal_complete, name="goal-complete"),
    path("goals/<int:pk>/progress/", views.goal_progress, name="goal-progress"),
    path(
        "feedback/<int:feedback_pk>/goals/",
        views.GoalPropose.as_view(),
        name="goal-propose",
    ),
]
