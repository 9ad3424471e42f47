"""What the "your data" pages keep: the secret address of the person's calendar feed."""

import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    # 32 random bytes: the address is the only thing protecting the feed.
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """One secret feed address per person; "make a new link" replaces the token."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.owner}"


class Upload(models.Model):
    """A file being imported, kept between the upload and the confirmation.

    Nothing in it is a record yet: the person maps its columns and confirms first. Confirmed
    or abandoned uploads are deleted (abandoned ones after a day).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Upload {self.filename} of {self.owner}"
