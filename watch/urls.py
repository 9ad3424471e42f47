from django.urls import path

from watch import views

app_name = "watch"

urlpatterns = [
    path("companies/<int:company_pk>/job-board/", views.board, name="board"),
    path("companies/<int:company_pk>/competitors/", views.competitors, name="competitors"),
]
