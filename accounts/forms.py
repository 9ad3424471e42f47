from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from accounts.cleaning import CleanInputMixin
from accounts.models import CADENCE_BOUNDS, Profile
from accounts.timezones import is_valid_time_zone, time_zone_choices

User = get_user_model()


class SignUpForm(UserCreationForm):
    full_name = forms.CharField(
        label="Your name",
        max_length=120,
        help_text="How reminders greet you, and how your drafted messages are signed.",
        error_messages={"required": "Type your name, as you sign your emails."},
    )
    email = forms.EmailField(required=True, help_text="Reminders and password resets go here.")
    # Filled in by the browser (Intl API) so reminders start in the right zone.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["full_name", "username", "email"])
        self.helper = FormHelper()
        self.helper.form_id = "signup-form"
        self.helper.add_input(Submit("submit", "Create my account", css_class="w-100"))

    def clean_email(self) -> str:
        # Taken or free, the page answers the same (accounts.services.sign_up): only the
        # owner of the address learns which, from the email.
        return self.cleaned_data["email"].strip().lower()

    def clean_username(self) -> str:
        # Not checked against other accounts here, for the same reason: a taken name is
        # given a suffix, and the confirmation email says which name the account got.
        return self.cleaned_data["username"]

    def validate_unique(self) -> None:
        """(See clean_username.)"""

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError("Type your name, as you sign your emails.")
        return name

    def clean_time_zone(self) -> str:
        name = (self.cleaned_data.get("time_zone") or "").strip()
        return name if is_valid_time_zone(name) else "UTC"


class ProfileForm(CleanInputMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Reminders follow this clock.",
        error_messages={
            "invalid_choice": "Pick a time zone from the list, for example Europe/Berlin."
        },
    )

    class Meta:
        model = Profile
        fields = (
            "full_name",
            "signature",
            "time_zone",
            "reminder_email",
            "reminders_enabled",
            "reminder_start",
            "reminder_end",
            "delivery",
            "keep_in_touch_days",
            "reapply_cooldown_days",
        )
        labels = {
            "full_name": "Your name",
            "reminder_start": "Reminders from",
            "reminder_end": "Reminders until",
            "delivery": "How reminders arrive",
            "keep_in_touch_days": "Keep in touch every (days)",
            "reapply_cooldown_days": "Wait before reapplying (days)",
        }
        help_texts = {
            "keep_in_touch_days": "Between {} and {} days; the advice says every few months.".format(
                *CADENCE_BOUNDS["keep_in_touch_days"]
            ),
            "reapply_cooldown_days": "Between {} and {} days after a rejection.".format(
                *CADENCE_BOUNDS["reapply_cooldown_days"]
            ),
            "reminder_end": "An end before the start runs past midnight (22:00 to 06:00).",
        }
        widgets = {
            "reminder_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "reminder_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "signature": forms.Textarea(attrs={"rows": 3}),
            "delivery": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("You", "full_name", "signature"),
            Fieldset(
                "Reminders",
                "reminder_email",
                "reminders_enabled",
                "time_zone",
                Div(
                    Div(Field("reminder_start"), css_class="col-6"),
                    Div(Field("reminder_end"), css_class="col-6"),
                    css_class="row",
                ),
                "delivery",
            ),
            Fieldset("Cadence", "keep_in_touch_days", "reapply_cooldown_days"),
        )
        self.helper.add_input(Submit("submit", "Save settings"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("reminder_start"), cleaned.get("reminder_end")
        # An end before the start wraps past midnight (22:00 to 06:00 for a night owl); the
        # same time twice says nothing about when, so it is refused rather than guessed.
        if start and end and start == end:
            self.add_error(
                "reminder_end",
                "Pick an end time different from the start time (for example 08:00 to 20:00, "
                "or 22:00 to 06:00 for hours that run past midnight).",
            )
        return cleaned
