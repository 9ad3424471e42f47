"""Mailbox passwords at rest: Fernet, a key from settings, rotatable."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command

from capture import crypto, imap
from capture.models import MailboxWatch
from capture.services import connect_mailbox


def test_the_password_is_never_stored_as_typed(user):
    watch = connect_mailbox(
        watch=MailboxWatch(owner=user, host="imap.example.com", username="sam"), password="s3cret!"
    )
    stored = MailboxWatch.objects.get(pk=watch.pk).password_encrypted
    assert "s3cret!" not in stored
    assert crypto.decrypt(stored) == "s3cret!"


def test_rotating_moves_every_password_to_the_newest_key(user, settings):
    watch = connect_mailbox(
        watch=MailboxWatch(owner=user, host="imap.example.com", username="sam"), password="pw-1"
    )  # encrypted with the key derived from SECRET_KEY
    new_key = Fernet.generate_key().decode()
    settings.CAPTURE_ENCRYPTION_KEYS = [new_key, crypto.derived_key(settings.SECRET_KEY).decode()]
    out = io.StringIO()

    call_command("rotate_mailbox_keys", stdout=out)

    assert out.getvalue().strip() == "Re-encrypted 1 mailbox password(s); 0 unreadable."
    settings.CAPTURE_ENCRYPTION_KEYS = [new_key]  # the old key is dropped
    watch.refresh_from_db()
    assert crypto.decrypt(watch.password_encrypted) == "pw-1"


def test_a_password_no_key_opens_is_an_error_in_words_on_the_scan(user, settings):
    watch = connect_mailbox(
        watch=MailboxWatch(owner=user, host="imap.example.com", username="sam"), password="pw"
    )
    settings.CAPTURE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    watch.refresh_from_db()
    try:
        imap.scan(watch, now=watch.created_at, budget=5)
    except imap.MailboxError as error:
        message = str(error)
    assert message == (
        "The saved password can't be read with this server's keys. Connect the mailbox again."
    )
