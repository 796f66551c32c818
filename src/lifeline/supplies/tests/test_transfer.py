"""CSV import and export of the catalogue and of stock counts (with HXL hashtags)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.supplies import selectors, transfer
from lifeline.supplies.models import Item, Location, Movement

CATALOGUE = (
    b"code,name,category,unit,kcal,litres,cold_chain,reorder\n"
    b"#item +code,#item +name,#item +type,#item +unit,#indicator +kcal,#indicator +litres,"
    b"#meta +coldchain,#indicator +reorder\n"
    b"amox,Amoxicillin 500mg,medicine,tablet,,,no,200\n"
    b"measles,Measles vaccine,vaccine,vial,,,yes,20\n"
)


def test_a_catalogue_file_with_hashtags_adds_the_items(logistics: Any) -> None:
    seen: list[tuple[int, int]] = []
    report = transfer.catalogue_import_csv(
        actor=logistics,
        stream=io.BytesIO(CATALOGUE),
        on_progress=lambda done, total: seen.append((done, total)),
    )
    assert report.errors == [] and report.imported == 2 and report.written
    assert Item.objects.get(code="measles").cold_chain is True
    assert seen[-1] == (2, 2)
    again = transfer.catalogue_export_csv(actor=logistics)
    assert "#item +code" in again and "Measles vaccine" in again


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_written(
    logistics: Any,
) -> None:
    bad = CATALOGUE + b"bad code!,X,weapons,unit,,,no,-5\n"
    report = transfer.catalogue_import_csv(actor=logistics, stream=io.BytesIO(bad))
    assert not report.written and report.imported == 0
    assert {(e.line, e.column) for e in report.errors} == {
        (5, "code"),
        (5, "category"),
        (5, "reorder"),
    }
    assert not Item.objects.exists()


def test_partial_keeps_the_good_rows(logistics: Any) -> None:
    bad = CATALOGUE + b"x,,food,kg,,,no,0\n"
    report = transfer.catalogue_import_csv(actor=logistics, stream=io.BytesIO(bad), partial=True)
    assert report.imported == 2 and len(report.errors) == 1
    assert report.errors[0].column == "name"


def test_a_file_with_unknown_columns_is_refused_before_any_row(logistics: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        transfer.catalogue_import_csv(
            actor=logistics, stream=io.BytesIO(b"code,name,colour\nx,y,z\n")
        )
    assert any("colour" in key for key in caught.value.fields)


def test_a_count_sheet_reconciles_the_ledger_and_exports_back(
    logistics: Any, store: Location, flour: Item
) -> None:
    sheet = (
        b"location,item,batch,expiry,counted\n"
        b"#loc +code,#item +code,#item +batch,#date +expiry,#indicator +counted\n"
        b"main-store,flour,WF-1,2026-01-01,40\n"
        b"main-store,flour,WF-2,,5\n"
        b"main-store,nothing,WF-3,,5\n"
    )
    report = transfer.counts_import_csv(actor=logistics, stream=io.BytesIO(sheet), partial=True)
    assert report.imported == 2
    assert [(e.line, e.column) for e in report.errors] == [(5, "item")]
    assert selectors.on_hand_total(item=flour) == Decimal(45)
    assert Movement.objects.filter(kind="count").count() == 2
    exported = transfer.counts_export_csv(actor=logistics)
    assert "main-store,flour,WF-1,2026-01-01,40" in exported
    # The export is a count sheet: importing it again changes nothing.
    again = transfer.counts_import_csv(actor=logistics, stream=io.BytesIO(exported.encode()))
    assert again.imported == 2 and Movement.objects.filter(kind="count").count() == 2


def test_a_viewer_cannot_import_counts(viewer: Any) -> None:
    with pytest.raises(Forbidden):
        transfer.counts_import_csv(actor=viewer, stream=io.BytesIO(b"location\n"))
