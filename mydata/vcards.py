"""Contacts as vCard 3.0 (RFC 2426), one .vcf for any address book.

Written with `vobject`, which folds long lines and escapes commas and semicolons. Only what
the record holds about the person; the notes written about them stay in the app.
"""

import datetime as dt

import vobject
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from applications.models import Contact, Rejection


def contacts(owner, *, open_doors_only: bool = False) -> QuerySet[Contact]:
    """The person's contacts; or only those at companies that said no and whose door is
    still open (the people worth keeping in touch with)."""
    qs = Contact.objects.filter(owner=owner).select_related("company").order_by("name", "pk")
    if open_doors_only:
        rejected_there = Rejection.objects.filter(
            owner=owner, application__company=OuterRef("company")
        )
        qs = qs.filter(Exists(rejected_there), company__door_closed_at__isnull=True)
    return qs


def _name_parts(name: str) -> vobject.vcard.Name:
    parts = name.split()
    if len(parts) < 2:
        return vobject.vcard.Name(given=name)
    return vobject.vcard.Name(family=parts[-1], given=" ".join(parts[:-1]))


def card(contact: Contact, *, zone) -> str:
    vc = vobject.vCard()
    vc.add("n").value = _name_parts(contact.name)
    vc.add("fn").value = contact.name
    vc.add("org").value = [contact.company.name]
    vc.add("title").value = contact.get_role_display()
    if contact.email:
        email = vc.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.phone:
        vc.add("tel").value = contact.phone
    if contact.linkedin_url:
        url = vc.add("url")
        url.value = contact.linkedin_url
        url.type_param = "LinkedIn"
    if contact.last_touch_at:
        local = contact.last_touch_at.astimezone(zone)
        note = f"Last in touch: {local:%a} {local.day} {local:%b %Y} (Open Doors)"
    else:
        note = "No message sent yet (Open Doors)"
    vc.add("note").value = note
    vc.add("uid").value = f"open-doors-contact-{contact.pk}"
    return vc.serialize()


def vcf(owner, *, zone, open_doors_only: bool = False) -> str:
    return "".join(
        card(contact, zone=zone)
        for contact in contacts(owner, open_doors_only=open_doors_only).iterator(chunk_size=500)
    )


def filename(*, open_doors_only: bool, now: dt.datetime | None = None) -> str:
    day = timezone.localdate(now or timezone.now())
    which = "open-doors-contacts" if open_doors_only else "contacts"
    return f"{which}-{day:%Y-%m-%d}.vcf"
