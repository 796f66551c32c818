"""A refusal said in a sentence, for a page that has no form field to put it beside."""

from __future__ import annotations

from lifeline.core.errors import ValidationFailed


def test_said_plainly_gives_the_fields_messages_without_their_names() -> None:
    refused = ValidationFailed({"bundle": ["truncated", "not signed"], "peer": "unknown"})
    assert refused.said_plainly() == "truncated; not signed; unknown"


def test_said_plainly_without_field_messages_is_the_message() -> None:
    assert ValidationFailed({}, message="nothing to read").said_plainly() == "nothing to read"
