import datetime as dt

from django import forms

from accounts.cleaning import CleanInputMixin
from mydata.activity import default_period
from mydata.importer import FIELDS, check_mapping

LONGEST_PERIOD = dt.timedelta(days=3 * 366)


class PeriodForm(CleanInputMixin, forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        start, end = default_period()
        if not data or not (data.get("start") or data.get("end")):
            data = {"start": start.isoformat(), "end": end.isoformat()}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end comes before the start: pick a later day.")
            elif end - start > LONGEST_PERIOD:
                self.add_error("end", "Pick a period of at most three years.")
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted; type it again."
            )
        return password


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Your CSV file",
        help_text="Comma, semicolon or tab separated; UTF-8 or Windows-1252; up to 5 MB.",
    )


class MappingForm(forms.Form):
    """Which field each column of the file holds; one select per column."""

    day_first = forms.TypedChoiceField(
        label="A date like 03/04/2026 is",
        choices=[("1", "3 April (day first)"), ("0", "March 4 (month first)")],
        coerce=lambda value: value == "1",
        initial="1",
    )

    def __init__(self, *args, header: list[str], guesses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— leave out —"), *FIELDS.items()]
        self.header = header
        for index, guess in enumerate(guesses):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=f"Column {index + 1}", choices=choices, required=False, initial=guess
            )

    def columns(self, rows: list[list[str]]):
        """(header text, bound field, the first values) for each column, for the template."""
        return [
            (name, self[f"col_{i}"], [row[i] for row in rows if i < len(row) and row[i].strip()])
            for i, name in enumerate(self.header)
        ]

    def clean(self):
        cleaned = super().clean()
        for problem in check_mapping(self.mapping()):
            self.add_error(None, problem)
        return cleaned

    def mapping(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        return [data.get(f"col_{i}", "") for i in range(len(self.header))]
