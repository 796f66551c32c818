"""Photos are encrypted at rest with the database: ciphertext on the disk, a JPEG on the page
for a role that may see it, nothing at all once the site's key is destroyed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.keys import KeysLocked, keys_init, keys_lockdown
from lifeline.facilities import services
from lifeline.facilities.models import Facility, FacilityPhoto
from lifeline.facilities.tests.conftest import photo_upload

pytestmark = pytest.mark.django_db

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF")


@pytest.fixture
def media_encrypted(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIFELINE_MEDIA_ENCRYPTED = True
    keys_init()
    return Path(settings.MEDIA_ROOT)


def _photo_taken(field_team: Any, shelter: Facility) -> FacilityPhoto:
    """A damage assessment with one photo, as a field team files it."""
    services.damage_assess(
        actor=field_team,
        facility=shelter,
        severity=2,
        safe_to_use=True,
        damage="roof sheets torn",
        photos=[photo_upload()],
    )
    return FacilityPhoto.objects.get()


def test_a_photo_is_ciphertext_on_disk_and_a_jpeg_on_the_page(
    media_encrypted: Path, field_team: Any, shelter: Facility
) -> None:
    photo = _photo_taken(field_team, shelter)
    on_disk = Path(photo.image.path).read_bytes()
    assert not on_disk.startswith(IMAGE_MAGIC), "the file on disk is not an image"
    assert b"JFIF" not in on_disk[:64] and b"Exif" not in on_disk

    page = Client()
    page.force_login(field_team)
    served = page.get(reverse("facilities:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served.content.startswith(b"\xff\xd8\xff")
    assert photo.image.size == len(served.content)


def test_after_a_lockdown_the_photo_does_not_open(
    media_encrypted: Path, field_team: Any, shelter: Facility
) -> None:
    photo = _photo_taken(field_team, shelter)
    keys_lockdown()
    with pytest.raises(KeysLocked):
        photo.image.open("rb")


def test_without_encryption_a_photo_is_kept_as_the_jpeg_it_is(
    settings: Any, tmp_path: Path, field_team: Any, shelter: Facility
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIFELINE_MEDIA_ENCRYPTED = False
    photo = _photo_taken(field_team, shelter)
    assert Path(photo.image.path).read_bytes().startswith(b"\xff\xd8\xff")
