"""The shared check behind every page-language test: what it counts as English left."""

from __future__ import annotations

from lifeline.core.tests.i18n import english_left


def test_an_english_word_of_the_catalogues_is_found_on_an_arabic_page() -> None:
    assert english_left("القائمة Supplies", "ar") == ["supplies"]


def test_a_word_french_also_writes_is_not_english_on_a_french_page() -> None:
    assert english_left("Menu", "fr") == []
    assert english_left("Menu", "ar") == ["menu"]


def test_what_the_test_entered_is_taken_out_whole_and_word_by_word() -> None:
    text = "Supplies Point: Supplies"
    assert english_left(text, "ar", ["Supplies Point"]) == []
    assert english_left("Supplies, camp", "ar", ["Camp Supplies"]) == []


def test_placeholders_and_markup_are_not_words_and_names_are_not_english() -> None:
    assert english_left("Yasmin Al-Khatib, Mavrah", "ar") == []
