"""Improvement goal pages. No app_name: these join the "applications" namespace
(`ImprovementGoal.get_absolute_url` reverses "applications:goal-detail")."""

from django.urls import path

from applications import goal_views

urlpatterns = [
    path("goals/", goal_views.GoalList.as_view(), name="goal-list"),
    path("goals/new/", goal_views.GoalCreate.as_view(), name="goal-create"),
    path("goals/<int:pk>/", goal_views.GoalDetail.as_view(), name="goal-detail"),
    path("goals/<int:pk>/edit/", goal_views.GoalUpdate.as_view(), name="goal-update"),
    path("goals/<int:pk>/delete/", goal_views.GoalDelete.as_view(), name="goal-delete"),
    path("goals/<int:pk>/complete/", goal_views.goal_complete, name="goal-complete"),
    path("goals/<int:pk>/progress/", goal_views.goal_progress, name="goal-progress"),
    path(
        "feedback/<int:feedback_pk>/goals/",
        goal_views.GoalPropose.as_view(),
        name="goal-propose",
    ),
]
