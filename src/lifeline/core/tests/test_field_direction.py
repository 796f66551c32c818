"""A form field takes the direction of what is typed in it: a Latin name in an Arabic page and an
Arabic name in an English one read right; a phone number stays left to right."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string


def _field(input_type: str, widget: str = "text") -> str:
    f = {"name": "n", "id": "id_n", "label": "L", "value": "", "widget": widget}
    return render_to_string("core/_field.html", {"f": {**f, "input_type": input_type}})


@pytest.mark.parametrize("input_type", ["text", "search"])
def test_typed_text_takes_the_direction_of_its_first_letter(input_type: str) -> None:
    assert 'dir="auto"' in _field(input_type)


def test_a_long_text_takes_the_direction_of_its_first_letter() -> None:
    assert '<textarea id="id_n" name="n" rows="3" dir="auto"' in _field("", widget="textarea")


def test_a_phone_number_reads_left_to_right_and_a_number_keeps_the_pages() -> None:
    assert 'dir="ltr"' in _field("tel")
    assert "dir=" not in _field("number")
