from django.contrib import admin

from applications.admin import OwnedAdmin
from goals.models import ImprovementGoal


@admin.register(ImprovementGoal)
class ImprovementGoalAdmin(OwnedAdmin):
    list_display = ("what", "owner", "theme", "target_date", "progress", "completed_on")
    list_filter = ("theme", ("completed_on", admin.EmptyFieldListFilter), "target_date")
    search_fields = ("what", "how_measured", "owner__username")
    raw_id_fields = ("owner", "feedback")
