"""Forms for the job-search records.

Every form takes `owner=`: its choices are that person's rows only, so another person's id
posted by hand is "not one of the choices". `clean_<field>` returns normalised values;
rules across fields live in `clean()`. Messages say what to do. No user text goes into a
label or help text (crispy renders help text unescaped).
"""

import datetime as dt
import re
import uuid
from urllib.parse import urlsplit

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row, Submit
from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.cleaning import EARLIEST_DATE, CleanInputMixin, IdChoicesField, record_id
from accounts.dates import day_text, when_text
from applications import selectors
from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
)
from applications.reapplying import reapply_warnings
from applications.roles import close_roles
from applications.services import normalize_text

# The browser's clock and ours may differ a little; "now" typed in a form is not the future.
CLOCK_SKEW = dt.timedelta(minutes=5)
PHONE_PATTERN = re.compile(r"^\+?[0-9 ().\-/]{5,30}$")
DATE_WIDGET = {"type": "date"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def https_urls(model_field: models.Field, **kwargs) -> forms.Field | None:
    """A web address typed without a scheme ("acme.example/jobs") gets https://."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Enter a full web address, like https://example.com/jobs/123."},
        )
    return model_field.formfield(**kwargs)


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def check_not_future_date(value: dt.date | None, what: str) -> dt.date | None:
    if value is None:
        return value
    if value > timezone.localdate():
        raise forms.ValidationError(f"{what} can't be in the future. Use today or an earlier date.")
    if value < EARLIEST_DATE:
        raise forms.ValidationError("Check the year: that date is too long ago.")
    return value


def check_not_future_moment(value: dt.datetime | None, what: str) -> dt.datetime | None:
    if value is None:
        return value
    if value > timezone.now() + CLOCK_SKEW:
        raise forms.ValidationError(
            f"{what} can't be in the future. Use the date and time it reached you."
        )
    if value.date() < EARLIEST_DATE:
        raise forms.ValidationError("Check the year: that date is too long ago.")
    return value


def check_linkedin_url(url: str) -> str:
    if not url:
        return url
    host = (urlsplit(url).hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        raise forms.ValidationError(
            "Enter a LinkedIn profile address, like https://www.linkedin.com/in/dana-w."
        )
    return url


class OneTimeTokenMixin(CleanInputMixin, forms.Form):
    """A hidden, fresh token per rendered create form; the view claims it once.

    The view sets `one_time_token=True` for create forms. A submit without a token (an
    old page, a hand-made request) is refused with a new token, so sending again works.
    """

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, *args, one_time_token: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.one_time_token = one_time_token

    def clean(self):
        cleaned = super().clean()
        if self.one_time_token and not cleaned.get("form_token"):
            self.add_error(None, "This form had expired. Check it and send it again.")
            # Shown again with a fresh token, so sending it again works.
            self.data = self.data.copy()
            self.data[self.add_prefix("form_token")] = str(uuid.uuid4())
        return cleaned


class OwnedModelForm(OneTimeTokenMixin, forms.ModelForm):
    """Base for the record forms: owner-scoped, crispy layout, one submit button."""

    submit_label = "Save"
    form_id = ""

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        if self.instance.pk is None:
            self.instance.owner = owner
        self.helper = FormHelper()
        self.helper.form_id = self.form_id
        self.helper.render_hidden_fields = True
        self.helper.attrs = {"novalidate": "", "data-testid": self.form_id}
        self.helper.layout = self.get_layout()
        self.helper.add_input(
            Submit("submit", self.submit_label, css_class="px-4", data_testid="submit")
        )

        if not self.is_new:
            # Optimistic locking: the version this page showed, checked again on save.
            self.fields["loaded_version"] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                initial=self.instance.updated_at.isoformat(),
            )

    def get_layout(self) -> Layout:
        return Layout(
            *[name for name in self.fields if name not in ("form_token", "loaded_version")]
        )

    @property
    def is_new(self) -> bool:
        return self.instance.pk is None

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if loaded:
            stored = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if stored is not None and stored.isoformat() != loaded:
                name = type(self.instance)._meta.verbose_name
                self.add_error(
                    None,
                    f"This {name} was changed after you opened it (at {when_text(stored)},"
                    " perhaps in another tab), so nothing was saved. Open it again to see"
                    " that version, or send this form again to keep yours instead.",
                )
                # Sending again is a deliberate choice to overwrite: it carries the new version.
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = stored.isoformat()
        return cleaned


# --- Company ------------------------------------------------------------------------------


class CompanyForm(OwnedModelForm):
    form_id = "company-form"
    submit_label = "Save company"

    class Meta:
        model = Company
        fields = ("name", "website", "notes")
        formfield_callback = https_urls
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Type the company's name."}}

    def get_layout(self) -> Layout:
        return Layout(
            Row(Column("name", css_class="col-md-6"), Column("website", css_class="col-md-6")),
            "notes",
        )

    def clean_name(self) -> str:
        name = normalize_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Type the company's name.")
        existing = selectors.company_by_name(owner=self.owner, name=name)
        if existing is not None and existing.pk != self.instance.pk:
            raise forms.ValidationError(
                f"You already have this company as “{existing.name}” (names are matched "
                "ignoring capitals and spaces). Open that one instead of adding it twice."
            )
        return name


# --- Application ----------------------------------------------------------------------------


class ApplicationForm(OwnedModelForm):
    form_id = "application-form"
    submit_label = "Save application"

    company_name = forms.CharField(
        label="Company",
        max_length=Company._meta.get_field("name").max_length,
        help_text="Pick one you have, or type a new name to add it.",
        widget=forms.TextInput(attrs={"list": "company-names", "autocomplete": "off"}),
        error_messages={"required": "Type the company's name."},
    )
    apply_anyway = forms.BooleanField(
        label="Apply anyway",
        required=False,
        help_text="Only needed when Open Doors warns about applying to this company again now.",
    )

    class Meta:
        model = Application
        fields = (
            "role_title",
            "job_url",
            "source",
            "applied_on",
            "status",
            "why_this_role",
            "notes",
        )
        formfield_callback = https_urls
        widgets = {
            "applied_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "why_this_role": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "role_title": {"required": "Type the role you applied for, like “Backend Engineer”."},
            "applied_on": {"required": "Enter the day you applied."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_new:
            self.fields["company_name"].initial = self.instance.company.name
            del self.fields["apply_anyway"]
            self.helper.layout = self.get_layout()

    def get_layout(self) -> Layout:
        panel_url = reverse("applications:applied-before")
        exclude = self.instance.pk or ""
        panel = HTML(
            f'<div id="applied-before" class="mb-3" aria-live="polite" data-testid="applied-before"'
            f' hx-get="{panel_url}" hx-include="#id_company_name"'
            f' hx-vals=\'{{"exclude": "{exclude}"}}\''
            ' hx-trigger="load, input changed delay:400ms from:#id_company_name,'
            ' change from:#id_company_name"></div>'
        )
        fields = [
            Row(
                Column("company_name", css_class="col-md-6"),
                Column("role_title", css_class="col-md-6"),
            ),
            panel,
        ]
        if "apply_anyway" in self.fields:
            fields.append(Div("apply_anyway", css_id="apply-anyway"))
        fields += [
            Row(
                Column("applied_on", css_class="col-sm-6 col-md-4"),
                Column("source", css_class="col-sm-6 col-md-4"),
                Column("status", css_class="col-md-4"),
            ),
            "job_url",
            "why_this_role",
            "notes",
        ]
        return Layout(*fields)

    def clean_company_name(self) -> str:
        name = normalize_text(self.cleaned_data["company_name"])
        if not name:
            raise forms.ValidationError("Type the company's name.")
        return name

    def clean_role_title(self) -> str:
        role = normalize_text(self.cleaned_data["role_title"])
        if not role:
            raise forms.ValidationError("Type the role you applied for, like “Backend Engineer”.")
        return role

    def clean_applied_on(self) -> dt.date:
        return check_not_future_date(self.cleaned_data["applied_on"], "The applied date")

    def clean(self):
        cleaned = super().clean()
        status, applied_on = cleaned.get("status"), cleaned.get("applied_on")
        rejection = getattr(self.instance, "rejection", None) if not self.is_new else None
        if status == Application.Status.REJECTED and rejection is None:
            self.add_error(
                "status",
                "To mark it rejected, save it first and use “Log a rejection” on its page, "
                "so Open Doors can plan the follow-ups.",
            )
        if rejection is not None and status and status != Application.Status.REJECTED:
            self.add_error(
                "status",
                "This application has a rejection logged. Keep “Rejected”, or delete the "
                "rejection first.",
            )
        if applied_on and rejection is not None and applied_on > local_date(rejection.received_at):
            self.add_error(
                "applied_on",
                f"The rejection arrived on {day_text(local_date(rejection.received_at))}: "
                "pick an applied date on or before that.",
            )
        if applied_on and not self.is_new:
            first = self.instance.interviews.order_by("when").first()
            if first is not None and applied_on > local_date(first.when):
                self.add_error(
                    "applied_on",
                    f"Your first interview was on {day_text(local_date(first.when))}: "
                    "pick an applied date on or before that.",
                )
        self._check_reapply_warnings(cleaned)
        return cleaned

    def _check_reapply_warnings(self, cleaned) -> None:
        """The engine's cooldown and "don't pummel" warnings need an explicit yes."""
        if not self.is_new or cleaned.get("apply_anyway") or not cleaned.get("company_name"):
            return
        company = selectors.company_by_name(owner=self.owner, name=cleaned["company_name"])
        if company is None:
            return
        warnings = reapply_warnings(owner=self.owner, company=company, today=timezone.localdate())
        if warnings:
            self.add_error(
                "apply_anyway",
                [*warnings, "Tick “Apply anyway” if you still want to apply now."],
            )


# --- Contact -----------------------------------------------------------------------------------


class ContactForm(OwnedModelForm):
    form_id = "contact-form"
    submit_label = "Save contact"

    class Meta:
        model = Contact
        fields = ("company", "name", "role", "email", "linkedin_url", "phone", "notes")
        formfield_callback = https_urls
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "company": {"invalid_choice": "Pick one of your companies."},
            "email": {"invalid": "Enter an email address like dana@example.com."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.owned_by(self.owner)
        self.fields["company"].empty_label = "Pick a company"

    def get_layout(self) -> Layout:
        return Layout(
            Row(Column("name", css_class="col-md-6"), Column("company", css_class="col-md-6")),
            Row(Column("role", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            Row(
                Column("linkedin_url", css_class="col-md-6"),
                Column("phone", css_class="col-md-6"),
            ),
            "notes",
        )

    def clean_name(self) -> str:
        name = normalize_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Type the person's name.")
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_linkedin_url(self) -> str:
        return check_linkedin_url(self.cleaned_data["linkedin_url"])

    def clean_phone(self) -> str:
        phone = normalize_text(self.cleaned_data["phone"])
        if phone and (not PHONE_PATTERN.match(phone) or sum(ch.isdigit() for ch in phone) < 5):
            raise forms.ValidationError(
                "Enter a phone number with digits, spaces and + - ( ) only, like +49 30 1234567."
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        company, email = cleaned.get("company"), cleaned.get("email")
        if company and email:
            twin = (
                Contact.objects.owned_by(self.owner)
                .filter(company=company, email__iexact=email)
                .exclude(pk=self.instance.pk)
            )
            if twin.exists():
                self.add_error(
                    "email", "You already have a contact with this email at this company."
                )
        return cleaned


# --- Interview ---------------------------------------------------------------------------------


class InterviewForm(OwnedModelForm):
    form_id = "interview-form"
    submit_label = "Save interview"

    # Someone not yet among the company's contacts, added in the same submit (as "Log a
    # rejection" adds who sent it): made a contact at the application's company and ticked.
    new_name = forms.CharField(
        label="Name",
        required=False,
        max_length=Contact._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_role = forms.ChoiceField(
        label="Their role",
        choices=Contact.Role.choices,
        initial=Contact.Role.INTERVIEWER,
        required=False,
    )
    new_email = forms.EmailField(
        label="Email",
        required=False,
        error_messages={"invalid": "Enter an email address like dana@example.com."},
    )
    new_linkedin_url = forms.URLField(
        label="LinkedIn URL",
        required=False,
        max_length=Contact._meta.get_field("linkedin_url").max_length,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a LinkedIn profile address, like https://www.linkedin.com/in/dana-w."
        },
    )

    class Meta:
        model = Interview
        fields = (
            "application",
            "when",
            "kind",
            "interviewers",
            "detail_to_mention",
            "looking_for",
            "notes",
        )
        field_classes = {"interviewers": IdChoicesField}
        labels = {
            "when": "Date and time",
            "detail_to_mention": "A detail to mention",
            "looking_for": "What they are looking for",
        }
        help_texts = {"when": "In your time zone."}
        widgets = {
            "when": datetime_widget(),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "looking_for": forms.Textarea(attrs={"rows": 2}),
            "interviewers": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "application": {"invalid_choice": "Pick one of your applications."},
            "interviewers": {"invalid_choice": "Pick interviewers from your contacts."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = selectors.application_choices(owner=self.owner)
        self.fields["application"].empty_label = "Pick an application"
        if not self.is_new:
            # Interviewers belong to the application's company; moving it would orphan them.
            self.fields["application"].disabled = True
        application = self._application_hint()
        contacts = Contact.objects.owned_by(self.owner).select_related("company")
        if application is not None:
            contacts = contacts.filter(company_id=application.company_id)
        self.fields["interviewers"].queryset = contacts
        self.fields["interviewers"].help_text = "Tick who took it, or add someone new below."

    def _application_hint(self) -> Application | None:
        """The application whose company's contacts make sense as interviewers."""
        if not self.is_new:
            return self.instance.application
        if self.is_bound:
            return None  # Validate against all the person's contacts; clean() checks the company.
        initial = self.initial.get("application")
        if isinstance(initial, Application):
            return initial
        return None

    def get_layout(self) -> Layout:
        return Layout(
            "application",
            Row(Column("when", css_class="col-sm-7"), Column("kind", css_class="col-sm-5")),
            # Inline: crispy shows a checkbox list's errors even when it has no choices.
            InlineCheckboxes("interviewers"),
            # A native <details>: keyboard-operable without script; open when it has input.
            HTML(
                f'<details class="mb-3 border rounded px-3 pt-2" data-testid="new-interviewer"'
                f"{' open' if self._new_interviewer_typed() else ''}>"
                '<summary class="mb-2">Add someone new who took it</summary>'
            ),
            Row(
                Column("new_name", css_class="col-md-6"),
                Column("new_role", css_class="col-md-6"),
            ),
            Row(
                Column("new_email", css_class="col-md-6"),
                Column("new_linkedin_url", css_class="col-md-6"),
            ),
            HTML("</details>"),
            "detail_to_mention",
            "looking_for",
            "notes",
        )

    def clean_when(self) -> dt.datetime:
        when = self.cleaned_data["when"]
        if when.date() < EARLIEST_DATE:
            raise forms.ValidationError("Check the year: that date is too long ago.")
        if when > timezone.now() + dt.timedelta(days=366):
            raise forms.ValidationError("Check the date: that's more than a year from now.")
        return when

    def _new_interviewer_typed(self) -> bool:
        if not self.is_bound:
            return False
        names = ("new_name", "new_email", "new_linkedin_url")
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in names)

    def clean_new_name(self) -> str:
        return normalize_text(self.cleaned_data["new_name"])

    def clean_new_role(self) -> str:
        return self.cleaned_data["new_role"] or Contact.Role.INTERVIEWER

    def clean_new_email(self) -> str:
        return self.cleaned_data["new_email"].strip().lower()

    def clean_new_linkedin_url(self) -> str:
        return check_linkedin_url(self.cleaned_data["new_linkedin_url"])

    @property
    def new_interviewer(self) -> dict | None:
        """The new person's details for `record_interview`, or None when none was typed."""
        data = self.cleaned_data
        if not data.get("new_name"):
            return None
        return {
            "name": data["new_name"],
            "role": data["new_role"],
            "email": data["new_email"],
            "linkedin_url": data["new_linkedin_url"],
        }

    def clean(self):
        cleaned = super().clean()
        application, when = cleaned.get("application"), cleaned.get("when")
        if application and when and local_date(when) < application.applied_on:
            self.add_error(
                "when",
                f"You applied on {day_text(application.applied_on)}: pick a date on or after it, "
                "or correct the application's applied date.",
            )
        interviewers = cleaned.get("interviewers")
        if application and any(c.company_id != application.company_id for c in interviewers or ()):
            self.add_error(
                "interviewers",
                "Pick people who work at this application's company, or add them as someone new.",
            )
        self._check_new_interviewer(cleaned, application)
        return cleaned

    def _check_new_interviewer(self, cleaned, application) -> None:
        """A new person needs a name; one already known at the company is ticked instead."""
        if self._new_interviewer_typed() and not cleaned.get("new_name"):
            if "new_name" not in self.errors:
                self.add_error(
                    "new_name", "Type the new interviewer's name, or clear their details."
                )
            return
        email = cleaned.get("new_email")
        if not (application and cleaned.get("new_name") and email):
            return
        known = (
            Contact.objects.owned_by(self.owner)
            .filter(company_id=application.company_id, email__iexact=email)
            .first()
        )
        if known is not None and known.name.lower() != cleaned["new_name"].lower():
            self.add_error(
                "new_email",
                "Someone else at this company has this email already. Tick them above, "
                "or check the address.",
            )


# --- Rejection ---------------------------------------------------------------------------------


class RejectionForm(OwnedModelForm):
    form_id = "rejection-form"
    submit_label = "Save rejection"

    class Meta:
        model = Rejection
        fields = (
            "application",
            "received_at",
            "channel",
            "stage_reached",
            "reason_given",
            "contact",
            "reply_to",
        )
        labels = {"received_at": "Received", "stage_reached": "Stage you reached"}
        widgets = {
            "received_at": datetime_widget(),
            "reason_given": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "application": {
                "invalid_choice": "Pick one of your applications that has no rejection yet."
            },
            "contact": {"invalid_choice": "Pick one of your contacts, or leave it empty."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        keep = None if self.is_new else self.instance.application
        self.fields["application"].queryset = selectors.applications_without_rejection(
            owner=self.owner, keep=keep
        )
        self.fields["application"].empty_label = "Pick an application"
        if not self.is_new:
            # Moving a rejection to another application would leave this one "rejected".
            self.fields["application"].disabled = True
        self.fields["contact"].queryset = Contact.objects.owned_by(self.owner).select_related(
            "company"
        )
        if self.is_new:
            # Now, on the person's clock (the zone the middleware activated), to the minute.
            received = self.fields["received_at"]
            received.initial = lambda: timezone.localtime().replace(second=0, microsecond=0)
            received.show_hidden_initial = False

    def get_layout(self) -> Layout:
        return Layout(
            "application",
            Row(
                Column("received_at", css_class="col-md-4"),
                Column("channel", css_class="col-sm-6 col-md-4"),
                Column("stage_reached", css_class="col-sm-6 col-md-4"),
            ),
            Row(
                Column("contact", css_class="col-md-6"),
                Column("reply_to", css_class="col-md-6"),
            ),
            "reason_given",
        )

    def clean_received_at(self) -> dt.datetime:
        return check_not_future_moment(self.cleaned_data["received_at"], "A rejection")

    def clean_reason_given(self) -> str:
        return self.cleaned_data["reason_given"].strip()

    def clean(self):
        cleaned = super().clean()
        application, received_at = cleaned.get("application"), cleaned.get("received_at")
        if application and received_at and local_date(received_at) < application.applied_on:
            self.add_error(
                "received_at",
                f"You applied on {day_text(application.applied_on)}: the rejection can't be "
                "earlier. Check the date, or correct the application's applied date.",
            )
        contact = cleaned.get("contact")
        if application and contact and contact.company_id != application.company_id:
            self.add_error("contact", "Pick someone at this application's company.")
        return cleaned


# --- Feedback ------------------------------------------------------------------------------------


class FeedbackForm(OwnedModelForm):
    form_id = "feedback-form"
    submit_label = "Save feedback"

    themes = forms.MultipleChoiceField(
        choices=Feedback.Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the feedback is about; each theme can become an improvement goal.",
    )

    class Meta:
        model = Feedback
        fields = ("rejection", "received_on", "what_they_said", "themes")
        labels = {"rejection": "Feedback on", "what_they_said": "What they said"}
        widgets = {
            "received_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "what_they_said": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "rejection": {"invalid_choice": "Pick one of your rejections."},
            "what_they_said": {"required": "Write down what they said, even in a few words."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rejection"].queryset = selectors.rejections_for_feedback(owner=self.owner)
        self.fields["rejection"].empty_label = "Pick a rejection"
        if not self.is_new:
            self.fields["rejection"].disabled = True

    def get_layout(self) -> Layout:
        return Layout("rejection", "received_on", "what_they_said", InlineCheckboxes("themes"))

    def clean_received_on(self) -> dt.date:
        return check_not_future_date(self.cleaned_data["received_on"], "The feedback date")

    def clean_what_they_said(self) -> str:
        said = self.cleaned_data["what_they_said"].strip()
        if not said:
            raise forms.ValidationError("Write down what they said, even in a few words.")
        return said

    def clean(self):
        cleaned = super().clean()
        rejection, received_on = cleaned.get("rejection"), cleaned.get("received_on")
        if rejection and received_on and received_on < local_date(rejection.received_at):
            self.add_error(
                "received_on",
                f"The rejection arrived on {day_text(local_date(rejection.received_at))}: "
                "feedback can't come before it.",
            )
        return cleaned


# --- Log a rejection -------------------------------------------------------------------------------


class LogRejectionForm(OneTimeTokenMixin, forms.Form):
    """The one-minute form: company, role, who sent it, when, how, at which stage, why."""

    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "That application isn't one of yours, or it already has a "
            "rejection. Start again from the application's page."
        },
    )
    company_name = forms.CharField(
        label="Company",
        max_length=Company._meta.get_field("name").max_length,
        required=False,
        widget=forms.TextInput(
            attrs={"list": "company-names", "autocomplete": "off", "autofocus": ""}
        ),
    )
    role_title = forms.CharField(
        label="Role",
        max_length=Application._meta.get_field("role_title").max_length,
        required=False,
    )
    received_at = forms.DateTimeField(
        label="Received",
        widget=datetime_widget(),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    channel = forms.ChoiceField(
        label="How it came", choices=Rejection.Channel.choices, initial=Rejection.Channel.EMAIL
    )
    stage_reached = forms.ChoiceField(
        label="Stage you reached",
        choices=Rejection.Stage.choices,
        initial=Rejection.Stage.APPLICATION,
    )
    reason_given = forms.CharField(
        label="Reason they gave",
        required=False,
        max_length=Rejection._meta.get_field("reason_given").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contact_name = forms.CharField(
        label="Who sent it",
        required=False,
        max_length=Contact._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label="Their email",
        required=False,
        # The column's length (254), not the form default (320): longer fails in the database.
        max_length=Contact._meta.get_field("email").max_length,
        error_messages={"invalid": "Enter an email address like dana@example.com."},
    )
    applied_on = forms.DateField(
        label="Applied on",
        required=False,
        help_text="If you remember; otherwise the day the rejection came.",
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    # Shown only when the typed role is close to an open application at that company
    # ("Data Engineer 2" / "Data Engineer II"): which one it is, or a new one.
    pick = forms.CharField(
        label="Which application is it?", required=False, widget=forms.RadioSelect
    )
    NEW = "new"

    open_door_signals = forms.CharField(
        label="What they said that keeps the door open",
        required=False,
        max_length=1_200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Optional, one per line, in their words: “we will keep your résumé on file”, "
            "“we encourage you to apply again”. It makes this door count as a stronger one."
        ),
    )

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["application"].queryset = selectors.applications_without_rejection(owner=owner)
        self.chosen_application = self._chosen_application()
        self.asking = False  # "Did you mean …?" is on the page
        if self.chosen_application is None:
            # The company's open applications appear below it as it is typed (htmx).
            self.fields["company_name"].widget.attrs.update(
                {
                    "hx-get": reverse("applications:log-rejection-open-applications"),
                    "hx-trigger": "input changed delay:400ms, change",
                    "hx-target": "#open-applications",
                    "hx-sync": "this:replace",
                }
            )
            for name, message in (
                ("company_name", "Type the company's name, as in the email."),
                ("role_title", "Type the role you applied for."),
            ):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message
        elif not self.is_bound and self.chosen_application.interviews.exists():
            # The stage defaults from the record: an application with interviews got that far.
            self.initial.setdefault("stage_reached", Rejection.Stage.INTERVIEW)
        self.helper = FormHelper()
        self.helper.form_id = "log-rejection-form"
        self.helper.render_hidden_fields = True
        self.helper.attrs = {"novalidate": "", "data-testid": "log-rejection-form"}
        application_fields = []
        if self.chosen_application is None:
            application_fields = [
                Row(
                    Column("company_name", css_class="col-md-6"),
                    Column("role_title", css_class="col-md-6"),
                ),
                HTML('<div id="open-applications" aria-live="polite"></div>'),
            ]
        self.helper.layout = Layout(
            *application_fields,
            Row(
                Column("received_at", css_class="col-md-4"),
                Column("channel", css_class="col-sm-6 col-md-4"),
                Column("stage_reached", css_class="col-sm-6 col-md-4"),
            ),
            Row(
                Column("contact_name", css_class="col-md-6"),
                Column("contact_email", css_class="col-md-6"),
            ),
            "reason_given",
            "open_door_signals",
            *([] if self.chosen_application else [Row(Column("applied_on", css_class="col-md-4"))]),
        )

        self.helper.add_input(
            Submit("submit", "Log rejection", css_class="px-4", data_testid="submit")
        )

    def _resolve_close_role(self, company: Company, cleaned: dict) -> Application | None:
        """The typed role is not exactly an open application's at this company: the one the
        person picked, or a "Did you mean …?" when one is close (then nothing is saved)."""
        open_here = list(
            selectors.applications_without_rejection(owner=self.owner)
            .filter(company=company)
            .prefetch_related("interviews")
            .order_by("-applied_on", "-pk")
        )
        picked = cleaned.get("pick")
        if picked == self.NEW:
            return None
        chosen = next((a for a in open_here if str(a.pk) == picked), None)
        if chosen is not None:
            cleaned["application"] = chosen
            return chosen
        close = close_roles(cleaned["role_title"], open_here)
        if not close:
            return None
        self.asking = True
        others = [a for a in open_here if a not in close]
        self.helper.layout.insert(1, Div("pick", css_class="pick-application"))
        self.fields["pick"].widget.choices = [
            *((str(a.pk), f"{a.role_title} (applied {day_text(a.applied_on)})") for a in close),
            *((str(a.pk), f"{a.role_title} (applied {day_text(a.applied_on)})") for a in others),
            (self.NEW, "A different role: add a new application"),
        ]
        best = close[0]
        self.add_error(
            "role_title",
            f"Did you mean “{best.role_title}” at {company.name}? Pick it below, or choose "
            "“A different role”.",
        )
        if (
            cleaned.get("stage_reached") == Rejection.Stage.APPLICATION
            and best.interviews.all()
            and self.is_bound
        ):
            # The stage defaults from the record: show "Interviews" before they confirm.
            self.data = self.data.copy()
            self.data[self.add_prefix("stage_reached")] = Rejection.Stage.INTERVIEW
        return None

    def _chosen_application(self) -> Application | None:
        """The application this rejection is for, when the form came from its page."""
        value = self.data.get(self.add_prefix("application")) if self.is_bound else None
        if value is None and not self.is_bound:
            value = self.initial.get("application")
            if isinstance(value, Application):
                return value
        if not value:
            return None
        pk = value.pk if isinstance(value, Application) else record_id(value)
        if pk is None:
            return None
        return self.fields["application"].queryset.filter(pk=pk).first()

    def clean_company_name(self) -> str:
        return normalize_text(self.cleaned_data["company_name"])

    def clean_role_title(self) -> str:
        return normalize_text(self.cleaned_data["role_title"])

    def clean_contact_name(self) -> str:
        return normalize_text(self.cleaned_data["contact_name"])

    def clean_contact_email(self) -> str:
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_reason_given(self) -> str:
        return self.cleaned_data["reason_given"].strip()

    def clean_open_door_signals(self) -> list[str]:
        lines = [
            " ".join(line.split()) for line in self.cleaned_data["open_door_signals"].splitlines()
        ]
        lines = [line.strip("“”\"' ") for line in lines]
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(
                "Keep each line under 200 characters: their words, briefly."
            )
        return list(dict.fromkeys(line for line in lines if line))[:5]

    def clean_received_at(self) -> dt.datetime:
        return check_not_future_moment(self.cleaned_data["received_at"], "A rejection")

    def clean_applied_on(self) -> dt.date | None:
        return check_not_future_date(self.cleaned_data["applied_on"], "The applied date")

    def clean(self):
        cleaned = super().clean()
        if "application" in self.errors:
            # A hidden field has no place to show its message: put it on top.
            self.add_error(None, self.errors["application"])
            return cleaned
        application = cleaned.get("application")
        received_at = cleaned.get("received_at")
        if application is None:
            if not cleaned.get("company_name") and "company_name" not in self.errors:
                self.add_error("company_name", "Type the company's name, as in the email.")
            if not cleaned.get("role_title") and "role_title" not in self.errors:
                self.add_error("role_title", "Type the role you applied for.")
            if cleaned.get("company_name") and cleaned.get("role_title"):
                company = selectors.company_by_name(owner=self.owner, name=cleaned["company_name"])
                if company is not None and cleaned.get("pick"):
                    # The person picked one of the company's open applications (or "new").
                    application = self._resolve_close_role(company, cleaned)
                elif company is not None:
                    application = selectors.open_application_for(
                        owner=self.owner, company=company, role_title=cleaned["role_title"]
                    ) or self._resolve_close_role(company, cleaned)
        applied_on = application.applied_on if application else cleaned.get("applied_on")
        if received_at and applied_on and local_date(received_at) < applied_on:
            field = "applied_on" if application is None else "received_at"
            self.add_error(
                field,
                f"You applied on {day_text(applied_on)} and the rejection came on "
                f"{day_text(local_date(received_at))}: the rejection can't be earlier. "
                "Check both dates.",
            )
        return cleaned
