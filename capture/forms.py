"""The "paste the email / upload the .eml" box, and the mailbox connection form."""

from django import forms

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
