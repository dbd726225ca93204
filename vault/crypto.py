"""Citizens' files, and the agents' exports (backoffice.models.Export), are encrypted at rest (AES-256-GCM), so that a
copy of the storage or of a backup reveals nothing.

Each stored blob is a random 96-bit nonce followed by the ciphertext and its tag. The file's own public id is bound
as associated data: a blob copied onto another file's row does not decrypt. The id of the key is kept on the row, so
that keys can be rotated (settings.FILE_ENCRYPTION_KEYS, the first one encrypting; `manage.py files_reencrypt` rewrites
the older files a chunk at a time, with `reencrypt`). The keys never derive from SECRET_KEY: changing it after a leak
leaves every file readable."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK_BYTES = 1024 * 1024


def current_key_id() -> str:
    return next(iter(settings.FILE_ENCRYPTION_KEYS))


def _key(key_id: str) -> bytes:
    try:
        return settings.FILE_ENCRYPTION_KEYS[key_id]
    except KeyError:
        raise ImproperlyConfigured(f"The file encryption key “{key_id}” is not in FILE_ENCRYPTION_KEYS.") from None


def _cipher(key_id: str) -> AESGCM:
    return AESGCM(_key(key_id))


def encrypt(content: bytes, *, key_id: str, bound_to: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(key_id).encrypt(nonce, content, bound_to)


def decrypt(blob: bytes, *, key_id: str, bound_to: bytes) -> bytes:
    """The file's content; cryptography.exceptions.InvalidTag if it was altered or belongs to another file."""
    return _cipher(key_id).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], bound_to)


def encrypt_chunks(chunks: Iterable[bytes], target: BinaryIO, *, key_id: str, bound_to: bytes) -> None:
    """Write into `target` the content given as `chunks`, encrypted with `key_id`, a chunk at a time (the same blob
    as `encrypt` makes: nonce, ciphertext, tag)."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(_key(key_id)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(bound_to)
    target.write(nonce)
    for chunk in chunks:
        target.write(encryptor.update(chunk))
    target.write(encryptor.finalize() + encryptor.tag)


def reencrypt(source: BinaryIO, target: BinaryIO, *, key_id: str, new_key_id: str, bound_to: bytes) -> None:
    """Write into `target` the content of the blob `source` (encrypted with `key_id`, or plain when it is empty),
    encrypted with `new_key_id`, a chunk at a time. InvalidTag once written when `source` was altered or belongs to
    another file: `target` is then to be thrown away."""
    encrypt_chunks(plain_chunks(source, key_id=key_id, bound_to=bound_to), target, key_id=new_key_id, bound_to=bound_to)


def verify(source: BinaryIO, *, key_id: str, bound_to: bytes) -> None:
    """InvalidTag unless the blob is intact and bound to `bound_to`: read through, to check it before streaming any of
    it out (a chunk given out is decrypted whatever it is bound to: only the tag tells)."""
    for _chunk in plain_chunks(source, key_id=key_id, bound_to=bound_to):
        pass


def plain_chunks(source: BinaryIO, *, key_id: str, bound_to: bytes) -> Iterator[bytes]:
    """The content of a blob, decrypted as it is read (the tag, at its end, is checked after the last chunk: InvalidTag
    then, once the rest was given out); a blob of no key (`key_id` empty) is read as it is, from where it stands."""
    if not key_id:
        yield from iter(lambda: source.read(CHUNK_BYTES), b"")
        return
    remaining = source.seek(0, os.SEEK_END) - NONCE_BYTES - TAG_BYTES
    if remaining < 0:
        raise InvalidTag
    source.seek(-TAG_BYTES, os.SEEK_END)
    tag = source.read(TAG_BYTES)
    source.seek(0)
    decryptor = Cipher(algorithms.AES(_key(key_id)), modes.GCM(source.read(NONCE_BYTES), tag)).decryptor()
    decryptor.authenticate_additional_data(bound_to)
    while remaining > 0 and (chunk := source.read(min(CHUNK_BYTES, remaining))):
        remaining -= len(chunk)
        yield decryptor.update(chunk)
    yield decryptor.finalize()
