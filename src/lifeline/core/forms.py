"""Web forms drawn from an app's one schema (its `schemas.py`), for every app's pages.

A `SchemaForm` lists some fields of a DRF serializer with the widget their type calls for,
turns a submitted form into the serializer's input, validates with the serializer, calls the
service, and keeps what was typed. The serializer's errors and a service's ValidationFailed
land in the same place: next to the field they name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from lifeline.core.errors import ValidationFailed

T = TypeVar("T")
Choices = Sequence[tuple[str, str]]

# Widgets: text, search, tel, textarea, date, datetime, number, decimal, select, checkboxes and
# list (comma-separated text for a list of names).
_INPUT_TYPES = {
    "text": "text",
    "tel": "tel",
    "date": "date",
    "datetime": "datetime-local",
    "number": "number",
    "decimal": "number",
    "list": "text",
    "search": "search",
}
TEXTAREA_FROM_LENGTH = 1000


@dataclass
class FormField:
    name: str
    label: str
    widget: str
    value: Any = ""  # what was typed: text, or a list of values for checkboxes
    choices: Choices = ()
    blank_choice: str = ""  # label of the empty option of a select, if it has one
    help: str = ""
    max_length: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def input_type(self) -> str:
        return _INPUT_TYPES.get(self.widget, "text")

    @property
    def step(self) -> str:
        return "any" if self.widget == "decimal" else ""

    @property
    def inputmode(self) -> str:
        return {"decimal": "decimal", "number": "numeric"}.get(self.widget, "")


def _choices_of(schema_field: serializers.Field[Any, Any, Any, Any]) -> list[tuple[str, str]]:
    """The options of a choice field (or of a list of choices). Never a related field's: those
    would list every row of a table."""
    if isinstance(schema_field, serializers.ListField):
        schema_field = schema_field.child
    if isinstance(schema_field, serializers.BooleanField):
        return [("true", "Yes"), ("false", "No")]
    if isinstance(schema_field, serializers.ChoiceField):
        return [(str(value), str(label)) for value, label in schema_field.choices.items()]
    return []


def _widget_of(schema_field: serializers.Field[Any, Any, Any, Any]) -> str:
    if isinstance(schema_field, serializers.ListField):
        return "checkboxes" if isinstance(schema_field.child, serializers.ChoiceField) else "list"
    if isinstance(schema_field, serializers.BooleanField | serializers.ChoiceField):
        return "select"
    if isinstance(schema_field, serializers.DateTimeField):
        return "datetime"
    if isinstance(schema_field, serializers.DateField):
        return "date"
    if isinstance(schema_field, serializers.IntegerField):
        return "number"
    if isinstance(schema_field, serializers.FloatField):
        return "decimal"
    max_length = getattr(schema_field, "max_length", None)
    if isinstance(schema_field, serializers.CharField) and (max_length or 0) >= 1000:
        return "textarea"
    return "text"


def _label_of(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _messages_of(detail: Any) -> list[str]:
    """DRF error details (nested lists and dicts) as plain messages."""
    if isinstance(detail, Mapping):
        out: list[str] = []
        for key, value in detail.items():
            prefix = _("item %(n)d: ") % {"n": int(key) + 1} if isinstance(key, int) else ""
            out.extend(prefix + message for message in _messages_of(value))
        return out
    if isinstance(detail, list | tuple):
        return [m for item in detail for m in _messages_of(item)]
    return [str(detail)]


def schema_errors(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    return {str(name): _messages_of(detail) for name, detail in errors.items()}


class SchemaForm:
    """Some fields of a schema (a DRF serializer), as a form a person fills in."""

    def __init__(
        self,
        schema: type[serializers.Serializer[Any]],
        names: Iterable[str],
        *,
        data: QueryDict | None = None,
        initial: Mapping[str, Any] | None = None,
        labels: Mapping[str, str] | None = None,
        hints: Mapping[str, str] | None = None,
        widgets: Mapping[str, str] | None = None,
        choices: Mapping[str, Choices] | None = None,
    ) -> None:
        self.schema = schema
        self.data = data
        self.errors_other: list[str] = []
        self.fields: dict[str, FormField] = {}
        declared = schema().fields
        labels, hints, widgets, choices = labels or {}, hints or {}, widgets or {}, choices or {}
        for name in names:
            schema_field = declared[name]
            widget = widgets.get(name) or (
                "select" if name in choices else _widget_of(schema_field)
            )
            value: Any = (initial or {}).get(name, [] if widget == "checkboxes" else "")
            if data is not None:
                value = data.getlist(name) if widget == "checkboxes" else data.get(name, "")
            options = choices.get(name)
            if options is None:
                options = _choices_of(schema_field)
            self.fields[name] = FormField(
                name=name,
                label=labels.get(name) or str(schema_field.label or _label_of(name)),
                widget=widget,
                value=value,
                choices=options,
                blank_choice="" if schema_field.required or name in (initial or {}) else "—",
                help=hints.get(name, ""),
                max_length=getattr(schema_field, "max_length", None),
            )

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    @property
    def problems(self) -> list[str]:
        """Every message on the form, fields first: for a page that reports a form posted
        from elsewhere as flash messages."""
        return [e for f in self.fields.values() for e in f.errors] + self.errors_other

    @property
    def has_errors(self) -> bool:
        return bool(self.errors_other) or any(f.errors for f in self.fields.values())

    def schema_input(self) -> dict[str, Any]:
        """What was typed, shaped as the schema's input. Empty fields are left out, so that
        the schema's own defaults apply (a blank date is no date, not a bad one)."""
        values: dict[str, Any] = {}
        for name, form_field in self.fields.items():
            if form_field.widget == "checkboxes":
                if form_field.value:
                    values[name] = list(form_field.value)
            elif form_field.widget == "list":
                items = [item.strip() for item in str(form_field.value).split(",")]
                if any(items):
                    values[name] = [item for item in items if item]
            elif str(form_field.value).strip():
                values[name] = form_field.value
        return values

    def errors_add(self, fields: Mapping[str, Sequence[str]]) -> None:
        for key, messages in fields.items():
            name = key.split(".", 1)[0].split("[", 1)[0]
            if name in self.fields:
                self.fields[name].errors.extend(messages)
            else:
                label = "" if name in {"body", "non_field_errors"} else f"{_label_of(name)}: "
                self.errors_other.extend(label + message for message in messages)

    def submit(
        self,
        call: Callable[[dict[str, Any]], T],
        *,
        prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> T | None:
        """Validate with the schema and pass the clean values to `call` (a service).

        Returns what `call` returned, or None when the schema, `prepare` or the service said
        the input is wrong; the messages are then on the fields.
        """
        try:
            values = self.schema_input()
            if prepare is not None:
                values = prepare(values)
            parsed = self.schema(data=values)
            if not parsed.is_valid():
                raise ValidationFailed(schema_errors(parsed.errors))
            return call(dict(parsed.validated_data))
        except ValidationFailed as failure:
            self.errors_add(failure.fields)
            return None
