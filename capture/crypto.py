"""Mailbox passwords at rest: Fernet with keys from settings, rotatable with MultiFernet.

CAPTURE_ENCRYPTION_KEYS lists Fernet keys, newest first: new secrets are encrypted with the
first, and any of them decrypts. Without it, one key is derived from SECRET_KEY (so changing
SECRET_KEY means people reconnect their mailbox). To rotate: put a new key first, keep the old
ones after it, run `manage.py rotate_mailbox_keys`, then drop the old keys.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret no configured key opens (a key was dropped too soon)."""


def derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(
        b"open-doors capture mailbox passwords\x00" + secret_key.encode()
    ).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    materials = [key.encode() for key in keys] or [derived_key(secret_key)]
    return MultiFernet([Fernet(key) for key in materials])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.CAPTURE_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "The saved password can't be read with this server's keys. Connect the mailbox again."
        ) from None


def rotate(token: str) -> str:
    """The same secret under the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("A saved password can't be read with any configured key.") from None
