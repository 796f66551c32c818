"""CSV import and export of the person registry, with an HXL hashtag row.

Import checks every row with `people.schemas.PersonInput` and the rules of a registration
(`people.services.person_draft`; households by ration card), so a file meets the same rules,
roles, history and audit rows as the API, then writes them through `people.bulk` in short
chunks as one batch: by default one bad row means nothing is written; `partial=True` keeps the
good rows. Export reads through `people.selectors` with the actor's
role applied (location and condition columns only for the roles that may see them) and writes
an audit row.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from lifeline.core.clock import site_local
from lifeline.core.csvio import RowError, schema_problems, table_write
from lifeline.core.csvio import csv_records as _records
from lifeline.core.csvio import file_invalid as _file_invalid
from lifeline.core.csvio import message_short as _short
from lifeline.core.csvio import text_decode as _decode
from lifeline.core.errors import LifelineError, ValidationFailed
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.people import bulk, hxl, rules, selectors, services
from lifeline.people.models import ConditionObservation, Person
from lifeline.people.schemas import PersonInput

Progress = Callable[[int, int], None]

EXPORT_CHUNK = 500

T = TypeVar("T")


@dataclass
class ImportReport:
    rows: int = 0  # data rows read (blank rows skipped)
    imported: int = 0  # persons written (0 when the file was rolled back)
    households_created: int = 0
    partial: bool = False
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The header rows and the cells of each refused row: what a rejects file is made of.
    header_rows: list[list[str]] = field(default_factory=list)
    refused: list[list[str]] = field(default_factory=list)

    @property
    def refused_count(self) -> int:
        return len(self.refused)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "refused": self.refused_count,
            "households_created": self.households_created,
            "partial": self.partial,
            "written": self.written,
            "errors": [dataclasses.asdict(e) for e in self.errors],
            "warnings": list(self.warnings),
        }


def _column_label(layout: hxl.Layout, key: str) -> str:
    """The file's name for the column a problem is about (a name problem goes to whichever
    name column the file has)."""
    keys = {"given_name": hxl.NAME_KEYS, "family_name": ("family_name", "given_name", "name")}
    for candidate in keys.get(key, (key,)):
        label = layout.label(candidate)
        if label:
            return label
    return ""


def _row_errors(
    layout: hxl.Layout, line: int, problems: Mapping[str, Sequence[str]]
) -> list[RowError]:
    errors = []
    for key, messages in problems.items():
        label = _column_label(layout, key) if key else ""
        for message in messages:
            text = message if label or not key else f"{key}: {message}"
            errors.append(RowError(line, label, _short(text)))
    return errors


_Data = tuple[int, list[str]]

# Fields whose check depends on the cell alone (no database, no other field): a file repeats
# most of their values (sexes, statuses, ages, common names), so each distinct value is
# checked once per import and its result reused.
_PURE_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.FloatField,
    serializers.DateField,
    serializers.BooleanField,
)
_IMMUTABLE = (str, int, float, bool, dt.date, type(None))


def _validation_remember(schema_field: serializers.Field[Any, Any, Any, Any]) -> None:
    """Make this schema's field remember what it made of each value it accepted (a refused
    value is checked again each time, so that every row gets its own error)."""
    check = schema_field.run_validation
    accepted: dict[tuple[type, object], object] = {}

    def run_validation(data: Any = serializers.empty) -> Any:
        key = (type(data), data)
        try:
            return accepted[key]
        except KeyError:
            pass
        except TypeError:  # not hashable (a list)
            return check(data)
        value = check(data)
        if isinstance(value, _IMMUTABLE):
            accepted[key] = value
        return value

    setattr(schema_field, "run_validation", run_validation)  # noqa: B010 (an instance's own)


class _RowChecker:
    """Checks one row as a registration would (`PersonInput`, then `services.person_draft`),
    writing nothing. What is the same for every row is worked out once: the schema (building
    a serializer per row, its fields deep-copied, cost more than all the rest of an import),
    today, the actor's permissions, the households of the file's cards and the ids already
    in the registry (one query per 500, none per row)."""

    def __init__(self, actor: Actor | None, layout: hxl.Layout, records: list[_Data]) -> None:
        self.actor = actor
        self.layout = layout
        self.schemas: dict[frozenset[str], PersonInput] = {}
        self.today = timezone.localdate()
        self.now = timezone.now()  # the file's rows are registered at one time
        self.ids_seen: dict[Any, int] = {}
        self.parsed = [hxl.row_values(layout, cells, today=self.today) for _, cells in records]
        values = [p.values for p in self.parsed]
        self.ids_taken = self._ids_in_registry([v["id"] for v in values if v.get("id")])
        cards = [str(v.get("ration_card") or "").strip() for v in values]
        self.households, self.deleted_cards = bulk.households_for_cards(
            actor=actor, cards=[c for c in cards if c]
        )
        self.may_add_household = actor is not None and actor.has_perm("people.add_household")
        self.permissions_held = frozenset(
            perm
            for perm in ("people.add_person", "people.record_condition")
            if actor is not None and actor.is_authenticated and actor.has_perm(perm)
        )
        self.place = site_local()  # a row that names no site is at this one (read once)

    def _schema(self, keys: Iterable[str]) -> PersonInput:
        """PersonInput without the optional fields the row leaves out (DRF skips those
        anyway): the same checks, at a third of the cost for a file of a few columns."""
        given = frozenset(keys)
        schema = self.schemas.get(given)
        if schema is None:
            schema = PersonInput()
            for name, schema_field in list(schema.fields.items()):
                if (
                    name not in given
                    and not schema_field.required
                    and schema_field.default is serializers.empty
                ):
                    del schema.fields[name]
                elif isinstance(schema_field, _PURE_FIELDS):
                    _validation_remember(schema_field)
            self.schemas[given] = schema
        return schema

    @staticmethod
    def _ids_in_registry(ids: list[Any]) -> set[Any]:
        taken: set[Any] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            taken.update(Person.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        return taken

    def check(self, index: int, line: int) -> bulk.BulkPerson:
        """The row (`index` in the records given), checked; raises ValidationFailed keyed by
        column key."""
        parsed = self.parsed[index]
        values = dict(parsed.values)
        problems: dict[str, list[str]] = {k: [v] for k, v in parsed.problems.items()}
        record_id = values.pop("id", None)
        if record_id is not None:
            if record_id in self.ids_seen:
                problems["id"] = [
                    _("repeats the id of line %(ids_seen)s")
                    % {"ids_seen": self.ids_seen[record_id]}
                ]
            elif record_id in self.ids_taken:
                problems["id"] = [
                    _("is already in this registry; the file (or this row) was imported before")
                ]
            self.ids_seen.setdefault(record_id, line)
        card = str(values.pop("ration_card", "") or "").strip() or None
        if card in self.deleted_cards:
            problems["ration_card"] = [
                _("“%(card)s” is already the card of another household") % {"card": card}
            ]
        elif card and card not in self.households and not self.may_add_household:
            problems["ration_card"] = [
                _("your role may not create households (needs people.add_household)")
            ]
        data: dict[str, Any] = {}
        try:
            data = dict(self._schema(values).run_validation(values))
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, Mapping) else {"": exc.detail}
            problems |= schema_problems(detail)
        if problems:
            raise ValidationFailed(problems)
        data.pop("household", None)  # the card names it
        if data.get("site") is None:
            data["site"] = self.place
        draft = services.person_draft(
            actor=self.actor,
            today=self.today,
            now=self.now,
            permissions_held=self.permissions_held,
            **data,
        )
        return bulk.BulkPerson(draft=draft, card=card)


def persons_import_csv(
    *,
    actor: Actor | None,
    stream: IO[bytes],
    on_progress: Progress | None = None,
    partial: bool = False,
) -> ImportReport:
    """Register the persons of a CSV file (UTF-8; a header row, an HXL hashtag row, or both).

    Every row is checked by the same schema and rules that write it (`services.person_draft`)
    before any is written. With errors and `partial=False` nothing is written and the report
    lists every bad row; with `partial=True` the good rows are written. They are written in
    short transactions (`people.bulk`), so other writers are not held up, as one batch that
    a failure removes whole. A file whose columns cannot be read raises ValidationFailed.
    """
    permission_require(actor, "people.add_person", doing=_("import people"))
    with bulk.collector_paused():
        return _persons_import(actor, stream, on_progress, partial)


def _persons_import(
    actor: Actor | None, stream: IO[bytes], on_progress: Progress | None, partial: bool
) -> ImportReport:
    records = _records(_decode(stream.read()))
    if not records:
        raise _file_invalid("is empty; it needs a header row (and an HXL hashtag row) then data")
    try:
        layout = hxl.layout_detect(records[0][1], records[1][1] if len(records) > 1 else None)
    except hxl.LayoutInvalid as exc:
        raise ValidationFailed(
            exc.problems, message=_("the file's columns do not match the person registry")
        ) from exc
    data = [
        (line, cells)
        for line, cells in records[layout.header_rows :]
        if any(cell.strip() for cell in cells)
    ]
    report = ImportReport(
        rows=len(data),
        partial=partial,
        warnings=list(layout.warnings),
        header_rows=[cells for _, cells in records[: layout.header_rows]],
    )
    if not data:
        report.warnings.append(_("the file has no data rows"))
    checker = _RowChecker(actor, layout, data)
    good: list[bulk.BulkPerson] = []
    for index, (line, cells) in enumerate(data):
        try:
            good.append(checker.check(index, line))
        except ValidationFailed as exc:
            report.errors += _row_errors(layout, line, exc.fields)
            report.refused.append(cells)
        except LifelineError as exc:
            report.errors.append(RowError(line, "", _short(exc.message)))
            report.refused.append(cells)
    if (report.errors and not partial) or not good:
        # All or nothing: every row was checked before any was written, so nothing was.
        if on_progress is not None:
            on_progress(len(data), len(data))
        return report
    result = bulk.persons_register_many(
        actor=actor,
        rows=good,
        households=checker.households,
        on_progress=on_progress,
        summary=f"{len(good)} persons imported from CSV",
        detail={
            "rows": report.rows,
            "imported": len(good),
            "refused": report.refused_count,
            "partial": partial,
        },
    )
    report.imported = result.persons
    report.households_created = result.households_created
    report.written = True
    return report


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _conditions_current(persons: Sequence[Person], visible: frozenset[str]) -> dict[Any, list[str]]:
    """The conditions each person has now (latest observation present), own and merged
    records, limited to those the actor may see: one query per chunk of persons."""
    ids = {p.pk for p in persons}
    rows = (
        ConditionObservation.objects.alive()
        .filter(Q(person_id__in=ids) | Q(person__merged_into_id__in=ids), condition__in=visible)
        .order_by("observed_at", "version")
        .values_list("person_id", "person__merged_into_id", "condition", "present")
    )
    state: dict[Any, dict[str, bool]] = {}
    for person_id, merged_into, condition, present in rows:
        owner = merged_into if merged_into in ids else person_id
        state.setdefault(owner, {})[condition] = present
    return {pk: sorted(c for c, now in seen.items() if now) for pk, seen in state.items()}


def _person_values(person: Person, conditions: list[str], today: Any) -> dict[str, object]:
    household = person.household
    estimated = person.birth_date_estimated
    return {
        "id": person.pk,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": person.other_names,
        "sex": person.sex,
        # An estimated date is only an age read backwards: the age column carries it.
        "date_of_birth": None if estimated else person.date_of_birth,
        "age_years": rules.age_on(person.date_of_birth, today) if person.date_of_birth else None,
        "languages": person.languages,
        "phone": person.phone,
        "callsign": person.callsign,
        "ration_card": household.ration_card if household and not household.is_deleted else None,
        "status": person.status,
        "site": person.current_site.code if person.current_site else None,
        "area": person.current_area,
        "latitude": person.current_latitude,
        "longitude": person.current_longitude,
        "conditions": conditions,
        "notes": person.notes,
    }


def persons_export_csv(
    *,
    actor: Actor | None,
    stream: IO[str],
    filters: selectors.PersonFilters | None = None,
    hashtags: bool = True,
) -> int:
    """Write the persons the actor may see (filtered) as CSV with a header row and an HXL
    hashtag row (none when `hashtags` is false); returns how many. Location and condition
    columns are left out for roles that may not see them; the export is audited as a read of
    those protected parts."""
    persons = selectors.person_list(actor=actor, filters=filters)
    location = selectors.can_see_location(actor)
    visible = selectors.conditions_visible(actor)
    columns = hxl.export_columns(location=location, conditions=bool(visible))
    writer = csv.writer(stream)
    writer.writerow([c.header for c in columns])
    if hashtags:
        writer.writerow([c.tag_text for c in columns])
    today = timezone.localdate()
    count = 0
    try:
        for chunk in _chunks(persons.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
            current = _conditions_current(chunk, visible) if visible else {}
            for person in chunk:
                values = _person_values(person, current.get(person.pk, []), today)
                writer.writerow(hxl.row_cells(columns, values))
                count += 1
    finally:
        # Written even when the stream breaks half-way: whatever left was read.
        filter_values = dataclasses.asdict(filters) if filters else {}
        audit_record(
            actor=actor,
            action="person.export",
            summary=f"{count} persons exported to {'HXL' if hashtags else 'CSV'}",
            detail={
                "count": count,
                "hashtags": hashtags,
                "filters": {k: str(v) for k, v in filter_values.items() if v},
                "columns": [c.key for c in columns],
                "parts": [
                    p for p, shown in (("location", location), ("conditions", visible)) if shown
                ],
            },
        )
    return count


# The household export: one row per household, the shelter and area only for roles that may
# see locations (as on the household pages).
HOUSEHOLD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("ration_card", "#household +code", ""),
    ("head", "#affected +name +head", ""),
    ("members", "#affected +num", ""),
    ("site", "#loc +site", ""),
    ("shelter", "#loc +shelter", "location"),
    ("area", "#loc +area", "location"),
    ("notes", "#description", ""),
)


def households_export_csv(
    *, actor: Actor | None, stream: IO[str], q: str = "", hashtags: bool = True
) -> int:
    """Write the households the actor may see (searched by `q` as the list page does) with
    their member counts; returns how many. Audited with the columns written."""
    location = selectors.can_see_location(actor)
    columns = [c for c in HOUSEHOLD_COLUMNS if location or not c[2]]
    households = selectors.household_list(actor=actor, q=q).annotate(
        member_count=Count("members", filter=Q(members__deleted_at__isnull=True))
    )

    def rows() -> Iterator[list[str]]:
        for h in households:
            values = {
                "ration_card": h.ration_card or "",
                "head": h.head.full_name if h.head else "",
                "members": str(h.member_count),
                "site": h.site.code if h.site else "",
                "shelter": h.shelter,
                "area": h.area,
                "notes": h.notes,
            }
            yield [values[key] for key, _, _ in columns]

    count = table_write(
        stream,
        header=[key for key, _, _ in columns],
        tags=[tag for _, tag, _ in columns],
        rows=rows(),
        hashtags=hashtags,
    )
    audit_record(
        actor=actor,
        action="household.export",
        summary=f"{count} households exported to {'HXL' if hashtags else 'CSV'}",
        detail={
            "count": count,
            "hashtags": hashtags,
            "filters": {"q": q} if q else {},
            "columns": [key for key, _, _ in columns],
            "parts": ["location"] if location else [],
        },
    )
    return count
