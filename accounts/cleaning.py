"""Input hygiene shared by every form: ids from query strings, names, and sane date windows.

Bottom layer (accounts), so every app's forms and views use the same rules.
"""

import datetime as dt
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# Bidirectional overrides and isolates: they make "Acme" display as "emcA" and hide what a
# name really says (the "Trojan Source" trick). Never meaningful in a name or a note.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
)
# Characters that draw nothing: a name made only of these is no name.
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u3164"}
# Ids in URLs fit a bigint; anything longer is not one of ours.
_MAX_ID_DIGITS = 18

# A typo in the year ("0224", "20255") is a valid date: nobody's job search starts before
# this, and nothing is planned more than two years ahead.
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_AHEAD = dt.timedelta(days=2 * 365)


def record_id(value) -> int | None:
    """An id typed into a URL or form (?application=12): ASCII digits only ("١٢" and "²" are
    digits to Python, not to us), within a bigint; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if (
        not isinstance(value, str)
        or not 0 < len(value) <= _MAX_ID_DIGITS
        or not value.isascii()
        or not value.isdigit()
    ):
        return None
    return int(value)


def strip_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Text without bidirectional overrides and control characters (tabs and, in notes, line
    breaks kept), in NFC form."""
    text = unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS)
    allowed = {"\t", "\n", "\r"} if keep_newlines else {"\t"}
    return "".join(
        ch for ch in text if ch in allowed or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def clean_name(value: str, *, label: str = "name") -> str:
    """A name (company, person, role, goal) as the forms save it: one line, no controls or
    bidi overrides, refused when nothing visible is left."""
    text = strip_controls(value or "").replace("\t", " ").strip()
    visible = [
        ch for ch in text if ch not in INVISIBLE and unicodedata.category(ch) not in ("Cf", "Zs")
    ]
    if (value or "").strip() and not visible:
        raise ValidationError(f"Type a {label} with letters or digits in it.", code="invisible")
    return text


def check_date_window(value: dt.date | dt.datetime | None, *, today: dt.date | None = None):
    """Refuse a date no job search has: before 1990, or more than two years ahead."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    today = today or timezone.localdate()
    if day < EARLIEST_DATE:
        raise ValidationError("Check the year: that date is too long ago.", code="too_early")
    if day > today + LATEST_AHEAD:
        raise ValidationError(
            "Check the year: that date is more than two years ahead.", code="too_late"
        )


class IdChoicesField(forms.ModelMultipleChoiceField):
    """A multiple choice of the person's rows that refuses a non-id before the database
    sees it (a 40-digit number overflows SQLite; PostgreSQL refuses it)."""

    def _check_values(self, value):
        for pk in value:
            if record_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


_NOT_NAMES = (forms.EmailField, forms.URLField, forms.SlugField, forms.RegexField)


class CleanInputMixin:
    """Put first in a form's bases: every date field keeps to the sane window, every
    one-line text field is cleaned as a name (`clean_name`), every text area loses control
    characters and bidi overrides. One place, so no form forgets it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, (forms.DateField, forms.DateTimeField)):
                field.validators.append(check_date_window)

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not isinstance(value, str) or not isinstance(field, forms.CharField):
                continue
            if isinstance(field, _NOT_NAMES) or isinstance(field.widget, forms.PasswordInput):
                continue
            if isinstance(field.widget, forms.Textarea):
                self.cleaned_data[name] = strip_controls(value, keep_newlines=True)
                continue
            try:
                self.cleaned_data[name] = clean_name(value, label=str(field.label or name).lower())
            except ValidationError as error:
                self.add_error(name, error)
