"""CSV import and export of the catalogue and of stock counts, with an HXL hashtag row.

Files are read with `core.csvio` (the same reading, hashtag rows and row errors as the
registry's import). Each row is parsed by the shared schema (`supplies.schemas`) and written
through `supplies.services`, one savepoint per row inside one transaction: by default a bad row
rolls the whole file back and the report lists every bad row; `partial=True` keeps the good
ones. Exporting stock on hand gives a count sheet that imports back as a count.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lifeline.core import csvio
from lifeline.core.errors import LifelineError, ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.supplies import schemas, selectors, services
from lifeline.supplies.models import Item
from lifeline.supplies.rules import quantity_text

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    key: str
    tag_text: str
    aliases: tuple[str, ...] = ()

    @property
    def tag(self) -> csvio.Tag:
        tag = csvio.tag_parse(self.tag_text)
        if tag is None:
            raise ValueError(f"not a hashtag spec: {self.tag_text!r}")
        return tag


CATALOGUE = (
    Column("code", "#item +code", ("item", "item_code")),
    Column("name", "#item +name", ("item_name",)),
    Column("category", "#item +type", ("type",)),
    Column("unit", "#item +unit"),
    Column("kcal_per_unit", "#indicator +kcal", ("kcal",)),
    Column("litres_per_unit", "#indicator +litres", ("litres",)),
    Column("cold_chain", "#meta +coldchain"),
    Column("reorder_level", "#indicator +reorder", ("reorder",)),
)
COUNTS = (
    Column("location", "#loc +code", ("location_code", "store")),
    Column("item", "#item +code", ("item_code",)),
    Column("batch", "#item +batch", ("lot", "batch_number")),
    Column("expiry_date", "#date +expiry", ("expiry", "expires")),
    Column("counted", "#indicator +counted", ("count", "quantity", "on_hand")),
)


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    partial: bool = False
    written: bool = False
    errors: list[csvio.RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "partial": self.partial,
            "written": self.written,
            "errors": [dataclasses.asdict(e) for e in self.errors],
        }


def _layout(
    columns: Sequence[Column], records: list[tuple[int, list[str]]]
) -> tuple[int, list[Column | None], list[str]]:
    """(header rows, the column of each file column, the file's label of each)."""
    first = records[0][1]
    second = records[1][1] if len(records) > 1 else None
    if csvio.is_tag_row(first):
        headers, tags, header_rows = [""] * len(first), first, 1
    elif second is not None and csvio.is_tag_row(second):
        headers, tags, header_rows = first, second + [""] * (len(first) - len(second)), 2
    else:
        headers, tags, header_rows = first, [""] * len(first), 1
    by_name = {csvio.header_normalise(name): c for c in columns for name in (c.key, *c.aliases)}
    found: list[Column | None] = []
    labels: list[str] = []
    problems: dict[str, str] = {}
    for index, (header, tag_text) in enumerate(zip(headers, tags, strict=False)):
        tag = csvio.tag_parse(tag_text) if tag_text.strip() else None
        column = next(
            (
                c
                for c in columns
                if tag is not None
                and c.tag.hashtag == tag.hashtag
                and c.tag.attributes <= tag.attributes
            ),
            None,
        ) or by_name.get(csvio.header_normalise(header))
        label = header.strip() or (str(tag) if tag else f"column {csvio.column_letter(index)}")
        if column is None and (header.strip() or tag):
            problems[f"column {csvio.column_letter(index)} ({label})"] = _("is not a known column")
        found.append(column)
        labels.append(label)
    missing = [c.key for c in columns[:2] if c not in found]
    if missing:
        problems["columns"] = _("the file needs the columns %(columns)s") % {
            "columns": ", ".join(missing)
        }
    if problems:
        problems["known columns"] = ", ".join(f"{c.key} ({c.tag_text})" for c in columns)
        raise ValidationFailed(problems, message=_("the file's columns are not the expected ones"))
    return header_rows, found, labels


def _import(
    *,
    actor: Actor | None,
    stream: IO[bytes],
    columns: Sequence[Column],
    row_write: Callable[[dict[str, str]], None],
    action: str,
    on_progress: Progress | None,
    partial: bool,
) -> ImportReport:
    records = csvio.csv_records(csvio.text_decode(stream.read()))
    if not records:
        raise csvio.file_invalid("is empty; it needs a header row (and an HXL hashtag row)")
    header_rows, layout, labels = _layout(columns, records)
    label_of = {c.key: label for c, label in zip(layout, labels, strict=True) if c is not None}
    data = [(line, cells) for line, cells in records[header_rows:] if any(c.strip() for c in cells)]
    report = ImportReport(rows=len(data), partial=partial)
    with transaction.atomic():
        for done, (line, cells) in enumerate(data, start=1):
            values = {
                c.key: csvio.cell_unguard(cell.strip())
                for c, cell in zip(layout, cells, strict=False)
                if c is not None and cell.strip()
            }
            try:
                with transaction.atomic():
                    row_write(values)
            except ValidationFailed as exc:
                for key, messages in exc.fields.items():
                    for message in messages:
                        report.errors.append(
                            csvio.RowError(
                                line, label_of.get(key, key), csvio.message_short(message)
                            )
                        )
            except (LifelineError, IntegrityError) as exc:
                message = exc.message if isinstance(exc, LifelineError) else str(exc)
                report.errors.append(csvio.RowError(line, "", csvio.message_short(message)))
            else:
                report.imported += 1
            if on_progress is not None:
                on_progress(done, len(data))
        if report.errors and not partial:
            transaction.set_rollback(True)
            report.imported = 0
        elif report.imported:
            report.written = True
            audit_record(
                actor=actor,
                action=action,
                summary=f"{report.imported} rows imported from CSV",
                detail={"rows": report.rows, "refused": len(report.errors)},
            )
    return report


def _parsed(schema: type[Any], values: dict[str, Any]) -> dict[str, Any]:
    serializer = schema(data=values)
    if not serializer.is_valid():
        raise ValidationFailed(csvio.schema_problems(serializer.errors))
    return dict(serializer.validated_data)


def catalogue_import_csv(
    *,
    actor: Actor | None,
    stream: IO[bytes],
    on_progress: Progress | None = None,
    partial: bool = False,
) -> ImportReport:
    """Add items, or change the items whose code is already in the catalogue."""
    permission_require(actor, "supplies.manage_catalogue", doing=_("import the catalogue"))

    def write(values: dict[str, str]) -> None:
        existing = Item.objects.alive().filter(code=values.get("code", "")).first()
        if existing is not None:
            values = {"name": existing.name, **values}
        clean = _parsed(schemas.ItemInput, values)
        if existing is None:
            services.item_create(actor=actor, **clean)
        else:
            clean.pop("code")
            services.item_update(
                actor=actor, item=existing, changes={k: v for k, v in clean.items() if k in values}
            )

    return _import(
        actor=actor,
        stream=stream,
        columns=CATALOGUE,
        row_write=write,
        action="item.import",
        on_progress=on_progress,
        partial=partial,
    )


def counts_import_csv(
    *,
    actor: Actor | None,
    stream: IO[bytes],
    on_progress: Progress | None = None,
    partial: bool = False,
) -> ImportReport:
    """A physical count sheet: each row's difference from the ledger becomes a count row."""
    permission_require(actor, "supplies.manage_stock", doing=_("import stock counts"))

    def write(values: dict[str, str]) -> None:
        clean = _parsed(schemas.CountSheetRowInput, values)
        services.stock_count_batch(actor=actor, **clean)

    return _import(
        actor=actor,
        stream=stream,
        columns=COUNTS,
        row_write=write,
        action="stock.count_import",
        on_progress=on_progress,
        partial=partial,
    )


def _write(columns: Sequence[Column], rows: list[list[str]], *, hashtags: bool = True) -> str:
    out = io.StringIO()
    csvio.table_write(
        out,
        header=[c.key for c in columns],
        tags=[c.tag_text for c in columns],
        rows=rows,
        hashtags=hashtags,
    )
    return out.getvalue()


def catalogue_export_csv(*, actor: Actor | None) -> str:
    items = selectors.item_list(actor=actor)
    return _write(
        CATALOGUE,
        [
            [
                i.code,
                i.name,
                i.category,
                i.unit,
                quantity_text(i.kcal_per_unit) if i.kcal_per_unit is not None else "",
                quantity_text(i.litres_per_unit) if i.litres_per_unit is not None else "",
                "yes" if i.cold_chain else "no",
                quantity_text(i.reorder_level),
            ]
            for i in items
        ],
    )


def counts_export_csv(*, actor: Actor | None, hashtags: bool = True, **filters: Any) -> str:
    """Stock on hand per location and lot, as a count sheet; audited (who took which stock)."""
    lines = selectors.stock_on_hand(actor=actor, **filters)
    rows = [
        [
            line.location.code,
            line.item.code,
            line.lot.batch,
            line.lot.expiry_date.isoformat() if line.lot.expiry_date else "",
            quantity_text(line.quantity),
        ]
        for line in lines
    ]
    audit_record(
        actor=actor,
        action="stock.export",
        summary=f"{len(rows)} stock lines exported to {'HXL' if hashtags else 'CSV'}",
        detail={
            "count": len(rows),
            "hashtags": hashtags,
            "filters": {k: str(v) for k, v in filters.items() if v is not None},
        },
    )
    return _write(COUNTS, rows, hashtags=hashtags)


DISTRIBUTIONS = (
    Column("ration_card", "#household +code"),
    Column("household_size", "#affected +num"),
    Column("issued_at", "#date +issued"),
    Column("point", "#loc +name"),
    Column("site", "#loc +site"),
    Column("cycle", "#activity +cycle"),
    Column("issued_by", "#contact +name"),
)


def distributions_export_csv(*, actor: Actor | None, cycle: Any, hashtags: bool = True) -> str:
    """The rations issued in one cycle (every point), oldest first; audited."""
    rows = [
        [
            d.household.ration_card or "",
            str(d.household_size),
            d.issued_at.isoformat(timespec="seconds"),
            d.point.name,
            d.site.code,
            d.cycle.name,
            d.issued_by.get_username() if d.issued_by else "",
        ]
        for d in selectors.cycle_distributions(actor=actor, cycle=cycle)
    ]
    audit_record(
        actor=actor,
        action="ration.export",
        obj=cycle,
        summary=f"{len(rows)} distributions of {cycle.name} exported to "
        f"{'HXL' if hashtags else 'CSV'}",
        detail={"count": len(rows), "hashtags": hashtags},
    )
    return _write(DISTRIBUTIONS, rows, hashtags=hashtags)
