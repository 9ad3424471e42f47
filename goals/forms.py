"""Forms for improvement goals: one goal by hand, and the proposals made from feedback."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from accounts.cleaning import CleanInputMixin
from applications.forms import DATE_WIDGET, OwnedModelForm
from applications.models import Feedback
from goals.models import ImprovementGoal, target_date_message
from goals.services import GoalEdit

PROGRESS_MESSAGE = "Enter how far along you are as a whole number from 0 to 100 (percent)."
# A goal without a deadline is a wish; one years away is not "time-bound" either.
LATEST_TARGET = dt.timedelta(days=2 * 365)


def check_target_date(value: dt.date | None, *, allow_past: bool) -> dt.date | None:
    if value is None:
        return value
    today = timezone.localdate()
    if not allow_past and value < today:
        raise forms.ValidationError("Pick a target date from today on.")
    if value > today + LATEST_TARGET:
        raise forms.ValidationError(
            "Pick a target within two years: a near date keeps the goal time-bound."
        )
    return value


class ImprovementGoalForm(OwnedModelForm):
    form_id = "goal-form"
    submit_label = "Save goal"

    progress = forms.IntegerField(
        label="Progress (%)",
        min_value=0,
        max_value=100,
        initial=0,
        help_text="0 is not started, 100 is done (the goal is then completed).",
        error_messages={
            "min_value": PROGRESS_MESSAGE,
            "max_value": PROGRESS_MESSAGE,
            "invalid": PROGRESS_MESSAGE,
            "required": PROGRESS_MESSAGE,
        },
        # Any whole percentage: 33 is as good as 35.
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
    )

    class Meta:
        model = ImprovementGoal
        fields = ("what", "theme", "how_measured", "target_date", "progress", "feedback", "notes")
        labels = {
            "what": "What I will do",
            "how_measured": "How I will know it is done",
            "feedback": "From feedback",
        }
        help_texts = {
            "what": "Specific: “Add three measurable results to my résumé”.",
            "how_measured": "Measurable: a count, a date, someone who checks it.",
        }
        widgets = {
            "how_measured": forms.Textarea(attrs={"rows": 3}),
            "target_date": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "feedback": {"invalid_choice": "Pick one of your feedback entries, or none."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feedback"].queryset = Feedback.objects.owned_by(self.owner).select_related(
            "rejection__application__company"
        )
        self.fields["feedback"].empty_label = "None"
        self.fields["feedback"].required = False

    def get_layout(self) -> Layout:
        return Layout(
            "what",
            "how_measured",
            Row(
                Column("theme", css_class="col-sm-6"),
                Column("target_date", css_class="col-sm-6"),
            ),
            Row(
                Column("progress", css_class="col-sm-6"),
                Column("feedback", css_class="col-sm-6"),
            ),
            "notes",
        )

    def clean_what(self) -> str:
        what = " ".join(self.cleaned_data["what"].split())
        if not what:
            raise forms.ValidationError("Say what you will do, in a few words.")
        return what

    def clean_how_measured(self) -> str:
        return " ".join(self.cleaned_data["how_measured"].split())

    def clean_target_date(self) -> dt.date:
        # An existing goal may already be overdue; only a new one must aim ahead.
        return check_target_date(self.cleaned_data["target_date"], allow_past=not self.is_new)


class GoalProposalForm(CleanInputMixin, forms.Form):
    """One proposed goal on the "goals from this feedback" page; the theme is fixed."""

    theme = forms.ChoiceField(choices=Feedback.Theme.choices, widget=forms.HiddenInput)
    create = forms.BooleanField(label="Create this goal", required=False, initial=True)
    what = forms.CharField(
        label="What I will do",
        max_length=ImprovementGoal._meta.get_field("what").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    how_measured = forms.CharField(
        label="How I will know it is done",
        max_length=ImprovementGoal._meta.get_field("how_measured").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_date = forms.DateField(
        label="Target date", widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )

    def __init__(self, *args, feedback: Feedback | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.feedback = feedback
        # Only the ticked proposals need to be complete.
        for name in ("what", "target_date"):
            self.fields[name].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "theme",
            "create",
            "what",
            "how_measured",
            "target_date",
        )

    def clean_target_date(self) -> dt.date | None:
        value = self.cleaned_data.get("target_date")
        if not self.cleaned_data.get("create"):
            return value
        value = check_target_date(value, allow_past=False)
        if value and self.feedback is not None and value < self.feedback.received_on:
            raise forms.ValidationError(target_date_message(self.feedback))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("create"):
            return cleaned
        cleaned["what"] = " ".join((cleaned.get("what") or "").split())
        cleaned["how_measured"] = " ".join((cleaned.get("how_measured") or "").split())
        if not cleaned["what"] and "what" not in self.errors:
            self.add_error("what", "Say what you will do, or untick this goal.")
        if not cleaned.get("target_date") and "target_date" not in self.errors:
            self.add_error("target_date", "Pick a target date, or untick this goal.")
        return cleaned

    def as_edit(self) -> GoalEdit:
        data = self.cleaned_data
        return GoalEdit(
            what=data["what"], how_measured=data["how_measured"], target_date=data["target_date"]
        )


class BaseProposalFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("create") for form in self.forms):
            raise forms.ValidationError("Tick at least one goal to create, or go back.")


GoalProposalFormSet = forms.formset_factory(
    GoalProposalForm,
    formset=BaseProposalFormSet,
    extra=0,
    # One form per theme at most, whatever TOTAL_FORMS a request claims (Django's default
    # ceiling would build a thousand forms).
    max_num=len(Feedback.Theme),
    absolute_max=len(Feedback.Theme),
    validate_max=True,
)
