"""Every unique rule of a replicated model holds across sites (docs/sync.md, "Rules across
sites"): a constraint that another site's row could break on apply includes the origin site
(and the apply hook reviews the rest), unless the row's id is derived from what the constraint
names, so that two sites' rows are one row. A new unique rule must choose one or the other."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from lifeline.core.models import ReplicatedModel

# Rows whose id is derived from the fields of their unique rule (core.ids.uuid_named):
# two sites writing them write one row.
IDENTITY_FROM_FIELDS = {
    ("supplies.item", ("code",)),
    ("supplies.location", ("code", "site")),
    ("missions.debrief", ("mission",)),
    ("people.tracingmatch", ("person", "request")),
}


def _unique_rules() -> list[tuple[str, tuple[str, ...]]]:
    rules = []
    for model in apps.get_models():
        if not issubclass(model, ReplicatedModel):
            continue
        label = model._meta.label_lower
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                rules.append((label, (field.name,)))
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                rules.append((label, tuple(sorted(constraint.fields))))
    return rules


def test_every_unique_rule_of_a_replicated_model_holds_across_sites() -> None:
    rules = _unique_rules()
    assert rules, "no unique rule found: the test looks in the wrong place"
    colliding = [
        f"{label} {fields}"
        for label, fields in rules
        if "origin_site" not in fields and (label, fields) not in IDENTITY_FROM_FIELDS
    ]
    assert colliding == []


def test_the_rows_named_as_derived_identities_still_have_their_rule() -> None:
    assert set(_unique_rules()) >= IDENTITY_FROM_FIELDS
