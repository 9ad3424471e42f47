"""Re-encrypt every saved mailbox password with the newest CAPTURE_ENCRYPTION_KEYS key."""

from django.core.management.base import BaseCommand
from django.db import transaction

from capture import crypto
from capture.models import MailboxWatch


class Command(BaseCommand):
    help = "Re-encrypt saved mailbox passwords with the first key in CAPTURE_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        rotated = unreadable = 0
        with transaction.atomic():
            for watch in MailboxWatch.objects.select_for_update().only("pk", "password_encrypted"):
                try:
                    token = crypto.rotate(watch.password_encrypted)
                except crypto.SecretUnreadable:
                    unreadable += 1
                    continue
                MailboxWatch.objects.filter(pk=watch.pk).update(password_encrypted=token)
                rotated += 1
        self.stdout.write(f"Re-encrypted {rotated} mailbox password(s); {unreadable} unreadable.")
