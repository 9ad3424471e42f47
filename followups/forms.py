"""Forms for acting on a follow-up: mark sent, snooze, skip, reschedule.

Each turns what the person typed into the one value its service takes (`done_at`, `until`,
`due_at`), in the person's own time zone (the active one: UserTimezoneMiddleware, or the
owner's zone on the no-login email pages).
"""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.text import slugify

from accounts.cleaning import CleanInputMixin
from accounts.dates import day_text, when_text
from followups import rules
from followups.drafts import draft_for, text_to_send
from followups.models import FollowUp

SENT_TEXT_MAX = 20_000


def _helper(action: str, label: str, *fields, css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.form_action = action
    if action:
        # The dashboard and the follow-up page swap the card in place; without htmx the
        # form posts normally and the view redirects.
        helper.attrs = {"hx-post": action}
    # Each form's button gets its own id (several forms share a page), and only its own
    # colours: crispy's default "btn btn-primary" under an outline class gave grey or red
    # text on blue (1.1:1 contrast).
    button = Submit("submit", label, css_id=f"submit-{slugify(label)}")
    button.field_classes = f"btn {css}"
    helper.layout = Layout(*fields, button)
    return helper


class DoneForm(CleanInputMixin, forms.Form):
    sent_text = forms.CharField(
        label="What you sent",
        required=False,
        max_length=SENT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Optional. Kept with the follow-up so you can see later what you wrote.",
    )
    done_on = forms.DateField(
        label="Sent on", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    asked_for_feedback = forms.BooleanField(
        label="I asked for feedback",
        required=False,
        initial=True,
        help_text="If nothing comes back within a week, Open Doors reminds you to follow up once.",
    )
    got_reply = forms.BooleanField(label="They wrote back", required=False)

    def __init__(self, *args, followup: FollowUp, action: str = "", **kwargs):
        """Rendered by one partial, templates/followups/_done_form.html, on the follow-up
        page, the dashboard and the email-link page; the rule decides which ticks it asks."""
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.action = action
        rule = followup.rule
        self.fields["done_on"].initial = timezone.localdate()
        if not rule.asks_for_feedback:
            del self.fields["asked_for_feedback"]
        elif followup.rejection_id and rules.Situation.of(followup.rejection).early:
            # After a CV screen the draft asks for nothing; ticked only if the person adds it.
            self.fields["asked_for_feedback"].initial = False
        if rule.counts_replies:
            capped = [r for r in rules.rules_after(rule.kind) if r.cap is not None]
            self.fields["got_reply"].help_text = (
                f"Check-ins stop after {capped[0].cap_words} that nobody answered."
                if capped
                else "Counts toward how often people answer you."
            )
        else:
            del self.fields["got_reply"]

    # The partial asks for each tick by these names: a form without the field answers None
    # (the form's own lookup raises, and the template pays for the exception on every row).
    @property
    def feedback_tick(self):
        return self["asked_for_feedback"] if "asked_for_feedback" in self.fields else None

    @property
    def reply_tick(self):
        return self["got_reply"] if "got_reply" in self.fields else None

    def clean_done_on(self) -> dt.date:
        day = self.cleaned_data.get("done_on") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError("Pick today or a day in the past: when did you send it?")
        # Nobody thanks for an interview before it happened: the day of the event it
        # follows (in the person's zone) is the earliest.
        event = self.followup.anchor_at
        if event is not None and day < timezone.localtime(event).date():
            raise forms.ValidationError(
                f"Pick {day_text(event)} or later: that is when it happened."
            )
        return day

    def done_at(self) -> dt.datetime:
        """Today means now; an earlier day means noon that day, in the person's zone."""
        day = self.cleaned_data["done_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))

    def service_kwargs(self) -> dict:
        # Nothing typed here: what was sent is the draft as it stands (edited or not).
        sent_text = self.cleaned_data.get("sent_text", "") or text_to_send(draft_for(self.followup))
        return {
            "sent_text": sent_text,
            "asked_for_feedback": self.cleaned_data.get("asked_for_feedback", False),
            "got_reply": self.cleaned_data.get("got_reply", False),
            "done_at": self.done_at(),
        }


class SnoozeForm(CleanInputMixin, forms.Form):
    CHOICES = [("1", "A day"), ("3", "3 days"), ("7", "A week"), ("date", "Until a date…")]

    period = forms.ChoiceField(label="Snooze for", choices=CHOICES, initial="1")
    until_date = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, followup: FollowUp, action: str = "", reminder_start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.reminder_start = reminder_start or dt.time(8, 0)
        if followup.pk and followup.is_pending:
            self.fields["period"].help_text = (
                f"Due by {when_text(followup.deadline_at)}. A snooze past that moves the "
                "deadline too, and you will be told."
            )
        self.helper = _helper(action, "Snooze", "period", "until_date", css="btn-outline-secondary")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("period") == "date":
            day = cleaned.get("until_date")
            if day is None:
                self.add_error("until_date", "Pick the day you want to be reminded.")
            elif day <= timezone.localdate():
                self.add_error("until_date", "Pick a day after today.")
        return cleaned

    def until(self) -> dt.datetime:
        period = self.cleaned_data["period"]
        if period == "date":
            wall = dt.datetime.combine(self.cleaned_data["until_date"], self.reminder_start)
            return timezone.make_aware(wall)
        return timezone.now() + dt.timedelta(days=int(period))


class SkipForm(CleanInputMixin, forms.Form):
    def __init__(self, *args, followup: FollowUp, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.helper = _helper(action, "Skip this one", css="btn-outline-danger")


class RescheduleForm(CleanInputMixin, forms.Form):
    due_at = forms.DateTimeField(
        label="New due time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def __init__(self, *args, followup: FollowUp, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.fields["due_at"].initial = timezone.localtime(followup.due_at).replace(tzinfo=None)
        self.helper = _helper(action, "Reschedule", "due_at", css="btn-outline-secondary")

    def clean_due_at(self) -> dt.datetime:
        due_at = self.cleaned_data["due_at"]
        if due_at < timezone.now() - dt.timedelta(minutes=5):
            raise forms.ValidationError("Pick a time in the future.")
        return due_at


class DraftForm(forms.Form):
    """The draft as the person edits it (the dashboard's card, the follow-up page)."""

    subject = forms.CharField(required=False, max_length=300, strip=False)
    text = forms.CharField(required=False, max_length=SENT_TEXT_MAX, strip=False)


class ReplyForm(forms.Form):
    """ "They replied": when, and optionally what they said (kept private, never drafted)."""

    replied_on = forms.DateField(
        label="They replied on", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    words = forms.CharField(
        label="What they said (optional)",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for you: it never goes into a message.",
    )

    def __init__(self, *args, followup: FollowUp, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.action = action
        self.fields["replied_on"].initial = timezone.localdate()

    def clean_replied_on(self) -> dt.date:
        day = self.cleaned_data.get("replied_on") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError("Pick today or a day in the past: when did they reply?")
        return day

    def service_kwargs(self) -> dict:
        return {
            "replied_on": self.cleaned_data["replied_on"],
            "words": self.cleaned_data.get("words", ""),
        }
