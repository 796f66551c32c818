"""A name must show a letter and cannot hide bidirectional controls, wherever it comes from."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from rest_framework.test import APIClient

from lifeline.core.errors import ValidationFailed
from lifeline.core.models import Site
from lifeline.intel import codec
from lifeline.people import rules, services
from lifeline.people.models import Person

ZERO_WIDTH = "\u200b\u200b\u200b"
REVERSED = "\u202eAmal"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (ZERO_WIDTH, "at least one letter"),
        ("\u200d\u2060 ", "at least one letter"),
        ("123", "at least one letter"),
        (REVERSED, "U+202E"),
        ("Hana\u2066x\u2069", "U+2066, U+2069"),
    ],
)
def test_an_invisible_or_disguised_name_has_a_problem(name: str, words: str) -> None:
    problem = rules.name_problem(name)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    "name",
    [
        "Amal",
        "\u0639\u0645\u0651\u0627\u0631",
        "Zo\u00eb",
        "L\u00ea V\u0103n",
        "O'Neil",
        "A\u200cB",
    ],
)
def test_real_names_have_no_problem(name: str) -> None:
    assert rules.name_problem(name) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_name": ZERO_WIDTH}, "given_name"),
        ({"given_name": "Amal", "family_name": REVERSED}, "family_name"),
        ({"given_name": "Amal", "other_names": ["Um Ali", REVERSED]}, "other_names[1]"),
    ],
)
def test_the_api_refuses_such_a_name_by_field(
    registrar: Any, site: Site, body: dict[str, Any], field: str
) -> None:
    client = APIClient()
    client.force_authenticate(registrar)
    response = client.post("/api/persons/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_such_a_name_too(registrar: Any, site: Site) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.person_register(actor=registrar, given_name=ZERO_WIDTH)
    assert "given_name" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        services.person_register(actor=registrar, given_name="Amal", other_names=[REVERSED])
    assert "other_names" in caught.value.fields


def test_radio_text_drops_bidi_controls_and_a_packet_carrying_them_is_refused() -> None:
    fix = codec.Fix(0x01020304, 1, 1, 0, 0, 0)
    normal = codec.normalise(codec.RadioReport(fix, codec.SitRep("go \u202enorth\u202c")))
    assert normal.body == codec.SitRep("go north")
    packet = codec.encode(codec.RadioReport(fix, codec.SitRep("go abcnorth")))
    # Hand-craft the forbidden text (U+202E is three bytes, as "abc" is), with a valid
    # checksum: the encoder itself never writes it.
    body = packet[:-2].replace(b"abc", "\u202e".encode())
    forged = body + struct.pack(">H", codec.crc16(body))
    with pytest.raises(codec.CodecError, match="control characters"):
        codec.decode(forged)
