"""New model instances built fast: `instance_new` makes what `Model(**values)` makes without
its per-field keyword handling, for paths that draft many rows (a bulk import)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models.base import ModelState

_Model = TypeVar("_Model", bound=models.Model)


@dataclass(frozen=True)
class _BuildPlan:
    """How `instance_new` fills a model's fields: constant defaults copied at once, callable
    ones (a new id, now, an empty list) called per row, foreign keys given as instances."""

    constants: dict[str, Any]
    calls: list[tuple[str, Callable[[], Any]]]
    related: dict[str, Any]  # field name -> the foreign key field
    known: frozenset[str]  # the names and attnames a value may be given by


_build_plans: dict[type[models.Model], _BuildPlan] = {}


def _build_plan(model: type[models.Model]) -> _BuildPlan:
    plan = _build_plans.get(model)
    if plan is None:
        constants: dict[str, Any] = {}
        calls: list[tuple[str, Callable[[], Any]]] = []
        related: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                calls.append((f.attname, f.default))
            else:
                constants[f.attname] = f.get_default()
            if f.is_relation and f.many_to_one and f.name != f.attname:
                related[f.name] = f
        known = frozenset(constants) | {a for a, _ in calls} | frozenset(related)
        plan = _build_plans[model] = _BuildPlan(constants, calls, related, known)
    return plan


def instance_new(model: type[_Model], values: Mapping[str, Any]) -> _Model:
    """A new, unsaved instance, as `model(**values)` builds it (the fields not given at their
    defaults; a foreign key given by field name as an instance, or by attname as its key),
    without Model.__init__'s per-field keyword handling, which was most of the cost of
    drafting a row in a bulk import. For concrete fields only (no properties)."""
    plan = _build_plan(model)
    if not values.keys() <= plan.known:
        raise TypeError(f"{model.__name__} has no field {sorted(values.keys() - plan.known)}")
    obj = model.__new__(model)
    slots = obj.__dict__
    slots["_state"] = ModelState()
    slots.update(plan.constants)
    for attname, default in plan.calls:
        if attname not in values:
            slots[attname] = default()
    for name, value in values.items():
        key = plan.related.get(name)
        if key is None:
            slots[name] = value
        elif value is None:
            slots[key.attname] = None
        else:
            slots[key.attname] = value.pk
            key.set_cached_value(obj, value)
    return obj
