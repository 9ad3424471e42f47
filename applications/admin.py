from django.contrib import admin

from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    FormSubmission,
    Interview,
    Rejection,
)


class OwnedAdmin(admin.ModelAdmin):
    """Every record names its owner; the admin filters and searches by them too."""

    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "updated_at")
    raw_id_fields = ("owner",)


@admin.register(Company)
class CompanyAdmin(OwnedAdmin):
    list_display = ("name", "owner", "website", "door_closed_at", "created_at")
    list_filter = (("door_closed_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "website", "owner__username")


@admin.register(Application)
class ApplicationAdmin(OwnedAdmin):
    list_display = ("role_title", "company", "owner", "status", "source", "applied_on")
    list_filter = ("status", "source", "applied_on")
    list_select_related = ("owner", "company")
    search_fields = ("role_title", "company__name", "owner__username")
    raw_id_fields = ("owner", "company")
    date_hierarchy = "applied_on"


@admin.register(Contact)
class ContactAdmin(OwnedAdmin):
    list_display = ("name", "company", "owner", "role", "email", "last_touch_at")
    list_filter = ("role", ("linkedin_url", admin.EmptyFieldListFilter))
    list_select_related = ("owner", "company")
    search_fields = ("name", "email", "company__name", "owner__username")
    raw_id_fields = ("owner", "company")


@admin.register(Interview)
class InterviewAdmin(OwnedAdmin):
    list_display = ("application", "owner", "kind", "when")
    list_filter = ("kind", "when")
    list_select_related = ("owner", "application__company")
    search_fields = ("application__role_title", "application__company__name", "owner__username")
    raw_id_fields = ("owner", "application")
    filter_horizontal = ("interviewers",)
    date_hierarchy = "when"


@admin.register(Rejection)
class RejectionAdmin(OwnedAdmin):
    list_display = ("application", "owner", "received_at", "channel", "stage_reached", "contact")
    list_filter = ("channel", "stage_reached", "received_at")
    list_select_related = ("owner", "application__company", "contact")
    search_fields = (
        "application__role_title",
        "application__company__name",
        "reason_given",
        "owner__username",
    )
    raw_id_fields = ("owner", "application", "contact")
    date_hierarchy = "received_at"


@admin.register(Feedback)
class FeedbackAdmin(OwnedAdmin):
    list_display = ("rejection", "owner", "received_on", "theme_list")
    list_filter = ("received_on",)
    list_select_related = ("owner", "rejection__application__company")
    search_fields = ("what_they_said", "rejection__application__company__name", "owner__username")
    raw_id_fields = ("owner", "rejection")
    date_hierarchy = "received_on"

    @admin.display(description="themes")
    def theme_list(self, obj: Feedback) -> str:
        return ", ".join(obj.get_themes_display())


@admin.register(FormSubmission)
class FormSubmissionAdmin(admin.ModelAdmin):
    list_display = ("token", "owner", "result_url", "created_at")
    list_filter = ("created_at",)
    search_fields = ("token", "owner__username", "result_url")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at",)
