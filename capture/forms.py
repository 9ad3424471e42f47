"""The "paste the email / upload the .eml" box, and the mailbox connection form."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from capture.imap import MailboxError, allowed_address, is_private
from capture.models import MailboxWatch
from capture.reader import MAX_EMAIL_BYTES, Reading, UnreadableEmail

MAX_MB = MAX_EMAIL_BYTES // 1024 // 1024


class EmailSourceForm(forms.Form):
    """One email, pasted or uploaded; `clean()` reads it (the reader is given by the view)."""

    email_text = forms.CharField(
        label="Paste the email",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "placeholder": "The whole email, with its headers if your mail program shows them",
                "data-testid": "paste-email",
            }
        ),
    )
    email_file = forms.FileField(
        label="or upload the .eml file",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".eml,message/rfc822,.txt", "data-testid": "upload-eml"}
        ),
    )

    def __init__(self, *args, reader, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader
        self.reading: Reading | None = None

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("email_text") or "", cleaned.get("email_file")
        if self.errors:
            return cleaned
        if upload is not None:
            field = "email_file"
            if upload.size > MAX_EMAIL_BYTES:
                self.add_error(
                    field,
                    f"That file is {upload.size / 1024 / 1024:.1f} MB; Open Doors reads emails "
                    f"up to {MAX_MB} MB. Save the email without its attachments, or paste its text.",
                )
                return cleaned
            raw: bytes | str = upload.read(MAX_EMAIL_BYTES + 1)
        elif text.strip():
            field, raw = "email_text", text
        else:
            self.add_error(
                "email_text", "Paste the email's text here, or choose its .eml file below."
            )
            return cleaned
        try:
            self.reading = self.reader(raw)
        except UnreadableEmail as error:
            self.add_error(field, str(error))
        return cleaned


HOST_PATTERN = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9a-fA-F:.]+\]?$"
)


class MailboxForm(forms.ModelForm):
    """Connect one IMAP mailbox. The password is encrypted before it is stored."""

    password = forms.CharField(
        label="App password",
        strip=False,
        max_length=500,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="An app password made for Open Doors at your mail provider, not your usual one.",
        error_messages={"required": "Type the app password your mail provider made for this."},
    )

    class Meta:
        model = MailboxWatch
        fields = ("host", "port", "security", "username", "folder")
        labels = {"host": "IMAP server", "username": "Username (usually your address)"}
        help_texts = {
            "host": "For example imap.gmail.com, outlook.office365.com, imap.fastmail.com."
        }
        error_messages = {
            "host": {"required": "Type your provider's IMAP server, like imap.fastmail.com."},
            "username": {"required": "Type the username, usually your email address."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "mailbox-form"
        self.helper.attrs = {"novalidate": "", "data-testid": "mailbox-form"}
        self.helper.layout = Layout(
            Row(Column("host", css_class="col-md-8"), Column("port", css_class="col-md-4")),
            "security",
            Row(Column("username", css_class="col-md-6"), Column("password", css_class="col-md-6")),
            "folder",
        )
        self.helper.add_input(Submit("submit", "Connect", data_testid="connect"))

    def clean_host(self) -> str:
        host = self.cleaned_data["host"].strip().lower().rstrip(".")
        if not HOST_PATTERN.match(host):
            raise forms.ValidationError(
                "Type only the server's name, like imap.fastmail.com (no https:// or slashes)."
            )
        return host.strip("[]")

    def clean_folder(self) -> str:
        folder = self.cleaned_data["folder"].strip()
        if not folder or any(ch in folder for ch in "\r\n\x00"):
            raise forms.ValidationError("Type the folder's name, like INBOX.")
        return folder

    def clean(self):
        cleaned = super().clean()
        host, port = cleaned.get("host"), cleaned.get("port")
        if host and port and not self.errors:
            try:
                address = allowed_address(host, port)
            except MailboxError as error:
                self.add_error("port" if "port" in str(error) else "host", str(error))
                return cleaned
            if cleaned.get("security") == MailboxWatch.Security.PLAIN and not is_private(address):
                self.add_error(
                    "security",
                    "Without encryption the password would cross the internet readable: choose TLS.",
                )
        return cleaned
