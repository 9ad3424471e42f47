"""A contact email of 121 to 320 characters in "Log a rejection" (the red team's 500: the
name made from the address overflowed its column, and an address over the column's 254
characters reached the database): what fits is saved, what cannot is refused next to the
field, and nothing is half-saved. Meaningful on PostgreSQL, which enforces column lengths."""

import pytest
from django.urls import reverse

from applications.models import Application, Contact, Rejection
from tests.applications.helpers import field_errors, post_form

URL = reverse("applications:log-rejection")


def address(length: int, *, local: int = 64) -> str:
    """A syntactically valid address of exactly `length` characters."""
    domain_length = length - local - 1
    labels, left = [], domain_length - len(".example")
    while left > 0:
        take = min(60, left) if left - min(60, left) != 1 else 59
        labels.append("d" * take)
        left -= take + 1
    domain = ".".join(labels)[: domain_length - len(".example")] + ".example"
    email = "a" * local + "@" + domain
    assert len(email) == length, len(email)
    return email


def log(client, email: str):
    return post_form(
        client,
        URL,
        {
            "company_name": "Globex",
            "role_title": "Platform Engineer",
            "received_at": "2025-03-11T09:30",
            "channel": "email",
            "stage_reached": "application",
            "contact_email": email,
        },
    )


@pytest.mark.parametrize("length", [121, 200, 254])
def test_an_address_that_fits_is_saved_with_a_name_from_it(user, user_client, now, length):
    email = address(length)
    response = log(user_client, email)

    assert response.status_code == 302
    contact = Rejection.objects.get(owner=user).contact
    assert contact.email == email
    assert contact.name == "a" * 64


def test_a_local_part_longer_than_a_name_is_cut_to_fit(user, user_client, now):
    email = "b" * 130 + "@globex.example"
    response = log(user_client, email)

    assert response.status_code == 302
    assert Contact.objects.get(owner=user).name == "b" * 120


@pytest.mark.parametrize("length", [255, 320])
def test_a_longer_address_is_refused_next_to_the_field(user, user_client, now, length):
    response = log(user_client, address(length))

    assert response.status_code == 200
    assert field_errors(response, "contact_email") == [
        f"Ensure this value has at most 254 characters (it has {length})."
    ]
    assert not Application.objects.filter(owner=user).exists()
