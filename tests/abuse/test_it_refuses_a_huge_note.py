"""A 1 MB note is refused before any form sees it (DATA_UPLOAD_MAX_MEMORY_SIZE): 400, nothing
saved, whether the browser sends it urlencoded (as htmx does) or multipart. A note just over a
field's own limit gets a message next to the field and is not saved either."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from applications.models import Company
from followups.models import FollowUp
from tests.abuse.conftest import changes, client_for, snapshot, sweep

MEGABYTE = "x" * 1024 * 1024

# Every form with a free-text note, and the name of that field.
NOTE_FIELDS = [
    ("applications:company-create", {}, "notes"),
    ("applications:company-update", {"pk": Company}, "notes"),
    ("applications:contact-create", {}, "notes"),
    ("applications:application-create", {}, "notes"),
    ("applications:interview-create", {}, "notes"),
    ("applications:feedback-create", {}, "what_they_said"),
    ("goals:goal-create", {}, "notes"),
    ("applications:log-rejection", {}, "reason_given"),
    ("followups:followup-done", {"pk": FollowUp}, "sent_text"),
    ("dashboard:followup-done", {"pk": FollowUp}, "text"),
    ("followups:tone-check", {}, "text"),
    ("accounts:settings", {}, "signature"),
]


def url_for(world, name: str, kwargs: dict) -> str:
    return reverse(name, kwargs={k: world.objects[model].pk for k, model in kwargs.items()})


def test_the_upload_limit_is_at_most_half_a_megabyte():
    assert len(MEGABYTE) // 2 >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_one_megabyte_note_is_refused_everywhere_and_nothing_is_saved(world):
    sam = client_for(world.sam)
    before = snapshot()

    def check(case) -> None:
        name, kwargs, field = case
        url = url_for(world, name, kwargs)
        data = {"name": "Big", "company_name": "Big", "role_title": "Big", field: MEGABYTE}
        multipart = sam.post(url, data)
        urlencoded = sam.post(
            url,
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
            HTTP_HX_REQUEST="true",
        )
        assert (multipart.status_code, urlencoded.status_code) == (400, 400)
        assert changes(before, snapshot()) == [], "rows changed"

    sweep(NOTE_FIELDS, check)


def test_a_note_just_over_the_fields_limit_is_refused_next_to_the_field(world):
    sam = client_for(world.sam)
    company = world.objects[Company]
    limit = Company._meta.get_field("notes").max_length
    before = snapshot()

    response = sam.post(
        f"{company.get_absolute_url()}edit/", {"name": "Acme", "notes": "x" * (limit + 1)}
    )

    assert response.status_code == 200
    assert "notes" in response.context["form"].errors
    assert f"at most {limit:,}" in response.text or f"at most {limit}" in response.text
    assert changes(before, snapshot()) == []
