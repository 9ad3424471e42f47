from django.contrib import admin

from followups.models import Digest, FollowUp, Reminder


class ReminderInline(admin.TabularInline):
    model = Reminder
    extra = 0
    fields = ("status", "mode", "send_at", "next_attempt_at", "attempts", "sent_at", "last_error")
    readonly_fields = fields
    can_delete = False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "kind", "status", "due_at", "deadline_at")
    list_filter = ("kind", "status")
    search_fields = ("key", "company__name", "owner__username")
    raw_id_fields = ("owner", "company", "application", "rejection", "interview", "contact")
    inlines = [ReminderInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("pk", "owner", "followup", "status", "mode", "send_at", "attempts", "sent_at")
    list_filter = ("status", "mode")
    search_fields = ("message_id", "owner__username")
    raw_id_fields = ("owner", "followup", "digest")


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("pk", "owner", "created_at", "sent_at", "message_id")
    raw_id_fields = ("owner",)
