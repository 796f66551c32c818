"""The property sync must hold: random writes at three sites (persons, households, status,
deletes), exchanged in random order with duplicates, drops and replays, end with the same data
at every site, and every write is either the value there, a loser kept for review, or was
overwritten by a writer who had seen it. Each site is its own SQLite database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeline.core.models import ChangeLogEntry, ReplicatedModel
from lifeline.people.models import Household, Person, StatusEvent
from lifeline.sync.apply import model_plan
from lifeline.sync.feed import cursors_mine
from lifeline.sync.models import Conflict
from lifeline.sync.tests.conftest import WorldMaker
from lifeline.sync.tests.exchange import feed_from, feed_into
from lifeline.sync.tests.sites import SiteWorld

SITES = ("forest", "desert", "compound")
FIELDS = {Person: ("notes", "phone", "family_name"), Household: ("shelter", "area")}
VALUES = ("", "a", "b", "c")


@dataclass(frozen=True)
class Write:
    site: str
    model: str
    object_id: uuid.UUID
    attname: str
    value: Any
    version: str
    seen: frozenset[str]  # versions of this field's writes the writer had


@dataclass
class Run:
    world: SiteWorld
    rows: list[tuple[type[ReplicatedModel], uuid.UUID]] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (target, feed)
    acked: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def field_writes_here(self, model: str, pk: uuid.UUID, attname: str) -> frozenset[str]:
        entries = ChangeLogEntry.objects.filter(model=model, object_id=pk)
        return frozenset(e.version for e in entries if attname in e.fields)

    def create(self, site: str, kind: int) -> None:
        model: type[ReplicatedModel] = Person if kind == 0 else Household
        with self.world.at(site):
            row = Person(given_name="Amal") if model is Person else Household(shelter="a")
            row.save()
            label = model._meta.label_lower
            for attname in FIELDS[model]:
                self.writes.append(
                    Write(
                        site,
                        label,
                        row.pk,
                        attname,
                        getattr(row, attname),
                        row.version,
                        frozenset(),
                    )
                )
        self.rows.append((model, row.pk))

    def update(self, site: str, pick: int, which: int, value: str) -> None:
        editable = [(model, pk) for model, pk in self.rows if model in FIELDS]
        if not editable:
            return  # status events are appended, never edited
        model, pk = editable[pick % len(editable)]
        attname = FIELDS[model][which % len(FIELDS[model])]
        label = model._meta.label_lower
        with self.world.at(site):
            row = model._base_manager.filter(pk=pk).first()
            if row is None:
                return  # not here yet
            seen = self.field_writes_here(label, pk, attname)
            setattr(row, attname, value)
            row.save(update_fields=[attname])
            self.writes.append(Write(site, label, pk, attname, value, row.version, seen))

    def delete(self, site: str, pick: int) -> None:
        if not self.rows:
            return
        model, pk = self.rows[pick % len(self.rows)]
        with self.world.at(site):
            row = model._base_manager.filter(pk=pk).first()
            if row is not None and row.deleted_at is None:
                row.delete()

    def status(self, site: str, pick: int) -> None:
        persons = [pk for model, pk in self.rows if model is Person]
        if not persons:
            return
        pk = persons[pick % len(persons)]
        with self.world.at(site):
            if Person.objects.filter(pk=pk).exists():
                StatusEvent(person_id=pk, status="present").save()
                self.rows.append((StatusEvent, StatusEvent.objects.latest("version").pk))

    def send(self, source: str, target: str, mode: str) -> None:
        """A feed of what `source` believes `target` lacks; dropped, doubled or kept back."""
        feed = feed_from(self.world, source, since=self.acked.get((source, target), {}))
        if mode == "drop":
            return
        self.sent.append((target, feed))
        if mode == "late":
            return  # delivered at the end, after later feeds
        self.deliver(target, feed, source)
        if mode == "twice":
            self.deliver(target, feed, source)

    def deliver(self, target: str, feed: dict[str, Any], source: str | None = None) -> None:
        feed_into(self.world, target, feed)
        if source is not None:
            # The target's reply tells the source what it now has (its cursors).
            with self.world.at(target):
                self.acked[(source, target)] = cursors_mine()

    def replay(self, pick: int) -> None:
        if self.sent:
            target, feed = self.sent[pick % len(self.sent)]
            self.deliver(target, feed)


step = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(SITES), st.integers(0, 1)),
    st.tuples(
        st.just("update"),
        st.sampled_from(SITES),
        st.integers(0, 20),
        st.integers(0, 2),
        st.sampled_from(VALUES),
    ),
    st.tuples(st.just("delete"), st.sampled_from(SITES), st.integers(0, 20)),
    st.tuples(st.just("status"), st.sampled_from(SITES), st.integers(0, 20)),
    st.tuples(
        st.just("send"),
        st.sampled_from(SITES),
        st.sampled_from(SITES),
        st.sampled_from(("once", "twice", "drop", "late")),
    ),
    st.tuples(st.just("replay"), st.integers(0, 50)),
)


def canonical_dump(world: SiteWorld, code: str) -> dict[str, Any]:
    """Every replicated row of the models written, with every field that travels."""
    dump: dict[str, Any] = {}
    with world.at(code):
        for model in (Person, Household, StatusEvent):
            plan = model_plan(model._meta.label_lower)
            assert plan is not None
            for row in model._base_manager.order_by("pk"):
                values = {name: str(getattr(row, name)) for name in plan.fields}
                dump[f"{model._meta.label_lower}:{row.pk}"] = {**values, "version": row.version}
    return dump


def everything_delivered(run: Run) -> None:
    """Late feeds arrive, replays with them; then each site sends each other all it has."""
    for target, feed in run.sent:
        run.deliver(target, feed)
    for _ in range(2):
        for source in SITES:
            for target in SITES:
                if source != target:
                    feed_into(run.world, target, feed_from(run.world, source))


def assert_nothing_lost(run: Run, code: str) -> None:
    with run.world.at(code):
        kept = {(c.loser_version, c.field) for c in Conflict.objects.all()}
        for write in run.writes:
            row = model_plan(write.model)
            assert row is not None
            current = row.model._base_manager.get(pk=write.object_id)
            fv = current.field_versions or {}
            here = fv.get(write.attname) or fv.get("*") or current.version
            if here == write.version:
                assert getattr(current, write.attname) == write.value
                continue
            seen_later = any(
                other.version > write.version and write.version in other.seen
                for other in run.writes
                if (other.object_id, other.attname) == (write.object_id, write.attname)
            )
            assert (write.version, write.attname) in kept or seen_later, (
                f"at {code}, {write} is neither the value, nor kept, nor overwritten knowingly"
            )


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=4, max_size=24))
def test_three_sites_converge_and_lose_nothing(world: WorldMaker, steps: list[Any]) -> None:
    run = Run(world(list(SITES)))
    for action, *args in steps:
        if action == "send" and args[0] == args[1]:
            continue
        getattr(run, action)(*args)
    everything_delivered(run)
    dumps = {code: canonical_dump(run.world, code) for code in SITES}
    assert dumps["forest"] == dumps["desert"] == dumps["compound"]
    for code in SITES:
        assert_nothing_lost(run, code)
