from django import forms
from django.contrib import admin

from accounts.models import Profile
from accounts.timezones import time_zone_choices


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "full_name", "time_zone", "delivery", "reminders_enabled")
    list_filter = ("delivery", "reminders_enabled")
    search_fields = ("user__username", "user__email", "full_name")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A list to pick from, as on the settings page; the field's validator refuses the rest.
        if db_field.name == "time_zone":
            kwargs["widget"] = forms.Select(choices=time_zone_choices())
        return super().formfield_for_dbfield(db_field, request, **kwargs)
