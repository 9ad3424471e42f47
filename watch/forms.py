from django import forms

from watch import boards
from watch.fetch import Refused, check_url


class BoardForm(forms.Form):
    url = forms.URLField(
        label="Job board address",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=(
            "The company's Greenhouse, Lever or Ashby job board (for example "
            "https://boards.greenhouse.io/fabrikam), or an RSS/Atom feed of its jobs. "
            "Open Doors reads it once a day. Leave empty to stop watching."
        ),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "").strip()
        if not url:
            return ""
        try:
            check_url(boards.board_for(url).api_url)
        except Refused as exc:
            raise forms.ValidationError(f"{exc} Type the board's https:// address.") from None
        return url
