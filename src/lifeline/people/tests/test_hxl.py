"""The CSV layout and its HXL hashtags: pure, no database."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from lifeline.people import hxl

TODAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("text", "hashtag", "attributes"),
    [
        ("#sex", "sex", set()),
        ("#affected +name +given", "affected", {"name", "given"}),
        ("#Affected+Given+NAME", "affected", {"name", "given"}),
        ("  #geo + lat ", "geo", {"lat"}),
    ],
)
def test_a_hashtag_spec_is_read_without_regard_to_case_spacing_or_order(
    text: str, hashtag: str, attributes: set[str]
) -> None:
    assert hxl.tag_parse(text) == hxl.Tag(hashtag, frozenset(attributes))


@pytest.mark.parametrize("text", ["", "sex", "# sex x", "#1abc", "#sex +", "#sex,#age", "+name"])
def test_text_that_is_not_a_hashtag_spec_is_not_a_tag(text: str) -> None:
    assert hxl.tag_parse(text) is None


def test_a_hashtag_row_holds_hashtags_and_blanks_only() -> None:
    assert hxl.is_tag_row(["#affected +name +given", "", "#sex"])
    assert not hxl.is_tag_row(["#affected +name +given", "Amal"])
    assert not hxl.is_tag_row(["", "  "])


@pytest.mark.parametrize("column", [c for c in hxl.COLUMNS], ids=lambda c: c.key)
def test_every_column_is_found_again_by_its_own_hashtag_and_header(column: hxl.Column) -> None:
    assert hxl.column_match("", column.tag) == column
    assert hxl.column_match(column.header, None) == column


def test_the_export_columns_follow_the_hxl_names_the_issue_gives() -> None:
    # Issue 17: persons are #beneficiary, since #affected is a number in HXL's core schema.
    tags = {c.key: c.tag_text for c in hxl.export_columns(location=True, conditions=True)}
    assert tags["given_name"] == "#beneficiary +name +given"
    assert tags["family_name"] == "#beneficiary +name +family"
    assert tags["sex"] == "#sex"
    assert tags["age_years"] == "#age"
    assert tags["date_of_birth"] == "#date +birth"
    assert "name" not in tags  # the whole-name column is read, never written


def test_export_columns_leave_out_what_the_role_may_not_see() -> None:
    keys = {c.key for c in hxl.export_columns(location=False, conditions=False)}
    assert not keys & {"area", "latitude", "longitude", "conditions"}
    assert "site" in keys


def test_extra_attributes_such_as_a_language_still_match_the_most_specific_column() -> None:
    assert (
        hxl.column_match("", hxl.Tag("affected", frozenset({"name", "given", "i_ar"})))
        == (hxl.COLUMNS_BY_KEY["given_name"])
    )
    assert (
        hxl.column_match("", hxl.Tag("affected", frozenset({"name"})))
        == (hxl.COLUMNS_BY_KEY["name"])
    )


def test_a_tag_that_fits_two_columns_equally_is_refused() -> None:
    with pytest.raises(hxl.ColumnAmbiguous):
        hxl.column_match("", hxl.Tag("affected", frozenset({"name", "given", "family"})))


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Given name", "given_name"),
        ("SURNAME", "family_name"),
        ("Date of birth", "date_of_birth"),
        ("dob", "date_of_birth"),
        ("Age", "age_years"),
        ("Ration card", "ration_card"),
        ("lat", "latitude"),
    ],
)
def test_headers_are_matched_by_name_and_alias(header: str, key: str) -> None:
    column = hxl.column_match(header, None)
    assert column is not None and column.key == key


def test_a_layout_with_header_and_hashtag_rows_maps_each_column() -> None:
    layout = hxl.layout_detect(["Prénom", "Sexe", "x"], ["#affected +name +given", "#sex", "#age"])
    assert layout.header_rows == 2
    assert [c.key if c else None for c in layout.columns] == ["given_name", "sex", "age_years"]
    assert layout.label("sex") == "Sexe"


def test_a_layout_of_hashtags_alone_is_read_by_hashtag() -> None:
    layout = hxl.layout_detect(["#affected +name +family", "#sex"], ["Haddad", "female"])
    assert layout.header_rows == 1
    assert layout.label("family_name") == "#affected +name +family"


def test_a_layout_of_headers_alone_is_read_by_header() -> None:
    layout = hxl.layout_detect(["given_name", "sex"], ["Amal", "female"])
    assert layout.header_rows == 1
    assert layout.has("given_name") and layout.has("sex")


def test_an_unknown_column_is_refused_by_name_and_letter() -> None:
    with pytest.raises(hxl.LayoutInvalid) as caught:
        hxl.layout_detect(["given_name", "famly_name"], None)
    assert (
        "is not a column of the person registry" in caught.value.problems["column B (famly_name)"]
    )


def test_a_file_without_any_name_column_is_refused() -> None:
    with pytest.raises(hxl.LayoutInvalid) as caught:
        hxl.layout_detect(["sex", "age"], None)
    assert "given_name, family_name or name" in caught.value.problems["columns"]


def test_a_column_given_twice_is_refused() -> None:
    with pytest.raises(hxl.LayoutInvalid) as caught:
        hxl.layout_detect(["given_name", "first_name"], None)
    assert "repeats the given_name column" in caught.value.problems["column B (first_name)"]


def test_a_blank_column_is_ignored_with_a_warning() -> None:
    layout = hxl.layout_detect(["given_name", ""], None)
    assert layout.columns[1] is None
    assert "column B" in layout.warnings[0]


def _layout(*headers: str) -> hxl.Layout:
    return hxl.layout_detect(list(headers), None)


def test_a_row_becomes_person_input_data() -> None:
    layout = _layout("given_name", "languages", "status", "conditions", "phone", "latitude")
    row = hxl.row_values(
        layout,
        ["Amal", "Arabic; English;", "In care", "Wounded;malnourished", "'+963 11", "-3.5"],
        today=TODAY,
    )
    assert row.problems == {}
    assert row.values == {
        "given_name": "Amal",
        "languages": ["Arabic", "English"],
        "status": "in_care",
        "conditions": ["wounded", "malnourished"],
        "phone": "+963 11",
        "latitude": "-3.5",
    }


def test_blank_cells_are_left_out_and_short_rows_are_padded() -> None:
    row = hxl.row_values(_layout("given_name", "family_name", "notes"), ["Amal"], today=TODAY)
    assert row.values == {"given_name": "Amal"}


def test_a_row_longer_than_the_header_is_a_problem_of_the_whole_row() -> None:
    row = hxl.row_values(_layout("given_name"), ["Amal", "extra"], today=TODAY)
    assert "2 cells but the header has 1" in row.problems[""]


def test_a_whole_name_is_split_at_its_last_space() -> None:
    row = hxl.row_values(_layout("name"), ["Abu Bakr Haddad"], today=TODAY)
    assert row.values == {"given_name": "Abu Bakr", "family_name": "Haddad"}
    row = hxl.row_values(_layout("name"), ["Fiona"], today=TODAY)
    assert row.values == {"given_name": "Fiona", "family_name": ""}


def test_an_age_beside_a_matching_date_of_birth_is_dropped_for_the_date() -> None:
    row = hxl.row_values(
        _layout("given_name", "date_of_birth", "age"), ["Amal", "1990-06-16", "34"], today=TODAY
    )
    assert row.problems == {}
    assert row.values == {"given_name": "Amal", "date_of_birth": "1990-06-16"}


def test_an_age_that_contradicts_the_date_of_birth_is_a_problem() -> None:
    row = hxl.row_values(
        _layout("given_name", "date_of_birth", "age"), ["Amal", "1990-06-16", "12"], today=TODAY
    )
    assert "does not match the date of birth" in row.problems["age_years"]


def test_a_malformed_id_is_a_problem_of_the_id_column() -> None:
    row = hxl.row_values(_layout("id", "given_name"), ["not-an-id", "Amal"], today=TODAY)
    assert "is not a valid id" in row.problems["id"]


def test_export_cells_are_formatted_and_formulas_are_defused() -> None:
    columns = hxl.export_columns(location=True, conditions=True)
    person_id = uuid.uuid4()
    cells = dict(
        zip(
            [c.key for c in columns],
            hxl.row_cells(
                columns,
                {
                    "id": person_id,
                    "given_name": '=HYPERLINK("x")',
                    "other_names": ["Um Amal", "@amal"],
                    "date_of_birth": dt.date(1990, 1, 2),
                    "age_years": 35,
                    "phone": "+963 11",
                    "longitude": -3.5,
                    "conditions": ["wounded"],
                    "notes": None,
                },
            ),
            strict=True,
        )
    )
    assert cells["id"] == str(person_id)
    assert cells["given_name"] == '\'=HYPERLINK("x")'
    assert cells["other_names"] == "Um Amal;'@amal"
    assert cells["date_of_birth"] == "1990-01-02"
    assert cells["phone"] == "'+963 11"
    assert cells["longitude"] == "-3.5"
    assert cells["conditions"] == "wounded"
    assert cells["notes"] == ""


def test_defused_cells_read_back_as_written() -> None:
    columns = hxl.export_columns(location=True, conditions=True)
    values = {"given_name": "=1+2", "other_names": ["@amal", "Um Amal"], "phone": "+963 11"}
    cells = hxl.row_cells(columns, values)
    layout = hxl.layout_detect([c.header for c in columns], [c.tag_text for c in columns])
    row = hxl.row_values(layout, cells, today=TODAY)
    assert row.values["given_name"] == "=1+2"
    assert row.values["other_names"] == ["@amal", "Um Amal"]
    assert row.values["phone"] == "+963 11"


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters_are_spreadsheet_letters(index: int, letters: str) -> None:
    assert hxl.column_letter(index) == letters
