"""Citizens' files are encrypted at rest (AES-256-GCM), so that a copy of the storage or of a backup reveals nothing.

Each stored blob is a random 96-bit nonce followed by the ciphertext and its tag. The file's own public id is bound
as associated data: a blob copied onto another file's row does not decrypt. The id of the key is kept on the row, so
that keys can be rotated (settings.FILE_ENCRYPTION_KEYS, the first one encrypting)."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


def current_key_id() -> str:
    return next(iter(settings.FILE_ENCRYPTION_KEYS))


def _cipher(key_id: str) -> AESGCM:
    try:
        return AESGCM(settings.FILE_ENCRYPTION_KEYS[key_id])
    except KeyError:
        raise ImproperlyConfigured(f"The file encryption key “{key_id}” is not in FILE_ENCRYPTION_KEYS.") from None


def encrypt(content: bytes, *, key_id: str, bound_to: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(key_id).encrypt(nonce, content, bound_to)


def decrypt(blob: bytes, *, key_id: str, bound_to: bytes) -> bytes:
    """The file's content; cryptography.exceptions.InvalidTag if it was altered or belongs to another file."""
    return _cipher(key_id).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], bound_to)
