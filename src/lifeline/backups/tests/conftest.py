"""Fixtures of the backup tests: the site's keys made in the test's own var/, media there too,
and a camp with people and stock written through the services."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lifeline.core.keys import KeysMade, keys_init
from lifeline.core.models import Site
from lifeline.people import services as people
from lifeline.supplies import services as supplies


@pytest.fixture
def site_keys(settings: Any) -> KeysMade:
    settings.MEDIA_ROOT = Path(settings.VAR_DIR) / "media"
    return keys_init()


@pytest.fixture
def camp(site: Site, registrar: Any, logistics: Any, settings: Any) -> dict[str, Any]:
    """People and stock, and a photo in the media folder."""
    persons = [
        people.person_register(actor=registrar, given_name=given, family_name="Haddad")
        for given in ("Amal", "Yusuf", "Layla")
    ]
    store = supplies.location_create(actor=logistics, code="store", name="Store", site=site)
    flour = supplies.item_create(
        actor=logistics, code="flour", name="Flour", category="food", unit="kg"
    )
    supplies.stock_receive(actor=logistics, location=store, item=flour, quantity=Decimal(250))
    photo = Path(settings.MEDIA_ROOT) / "facilities" / "2026" / "12" / "wall.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 a photo of the south wall \xff\xd9")
    return {"persons": persons, "store": store, "flour": flour, "photo": photo}
