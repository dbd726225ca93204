"""Files citizens and agents hand us, kept in private storage (the document vault builds on them)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _


class PrivateStorage(LazyObject):
    """The "private" storage of settings.STORAGES, looked up when first used (and again when tests change it)."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private_storage = PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private_storage._wrapped = empty  # type: ignore[assignment]


def private_storage() -> Storage:
    return cast(Storage, _private_storage)


def _stored_file_path(instance: StoredFile, filename: str) -> str:
    """Random names: a stored file's path tells nothing about its owner or content."""
    return f"files/{instance.public_id.hex[:2]}/{instance.public_id.hex}"


class StoredFileQuerySet(models.QuerySet["StoredFile"]):
    def visible_to(self, user: Any, cases: models.QuerySet[Any]) -> StoredFileQuerySet:
        """Files the user uploaded, or that belong to these cases (their answers and messages)."""
        return self.filter(Q(owner=user) | Q(cases__in=cases) | Q(messages__case__in=cases)).distinct()


class StoredFile(models.Model):
    """One uploaded file, checked by content, never served under a public URL."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="stored_files"
    )
    file = models.FileField(storage=private_storage, upload_to=_stored_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("vault:file", args=[self.public_id])
