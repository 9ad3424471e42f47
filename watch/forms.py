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


class CompetitorsForm(forms.Form):
    names = forms.CharField(
        label="Competitors",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Companies that hire the same people, one per line or separated by commas. New ones "
            "are added to your companies."
        ),
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_names(self) -> list[str]:
        raw = self.cleaned_data.get("names", "")
        names, seen = [], set()
        for part in raw.replace("\n", ",").split(","):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > 120:
                raise forms.ValidationError(f"Keep each name under 120 characters: {name[:40]}…")
            key = name.replace(" ", "").casefold()
            if key == self.company.name.replace(" ", "").casefold():
                raise forms.ValidationError("A company cannot be its own competitor.")
            if key not in seen:
                seen.add(key)
                names.append(name)
        if len(names) > 20:
            raise forms.ValidationError("Name at most 20 competitors.")
        return names
