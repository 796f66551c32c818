from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lifeline.facilities import services
from lifeline.facilities.models import Facility
from lifeline.intel.models import WatchPost
from lifeline.intel.threats.services import watch_post_create


def photo_upload(
    name: str = "roof.jpg", size: tuple[int, int] = (3000, 2000)
) -> SimpleUploadedFile:
    """A photo as a phone sends it: a large JPEG with EXIF (a GPS position among it)."""
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (31.0, 56.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def shelter(commander: Any) -> Facility:
    return services.facility_register(
        actor=commander,
        name="Shelter B",
        kind="shelter",
        capacity=40,
        latitude=31.9,
        longitude=-4.4,
    )


@pytest.fixture
def posts(commander: Any) -> list[WatchPost]:
    return [
        watch_post_create(actor=commander, name="North gate", latitude=31.948, longitude=-4.401),
        watch_post_create(actor=commander, name="Ridge", latitude=31.9466, longitude=-4.3984),
    ]
