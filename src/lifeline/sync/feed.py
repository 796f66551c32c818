"""The feed: what one site sends another, independent of what carries it.

A feed is a plain mapping (see docs/sync.md): who sends it and to whom, the sender's schema,
what the sender has of every writer site (its cursors: the receiver's acknowledgement of what
it sent), the complete ranges of changes it carries per writer site, the sites and their
settings, the actors named, and the changes. Actors travel by stable key, never by a local
integer id. A bundle file, an HTTP exchange and a radio digest are thin transports over
`feed_build` and `feed_apply`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lifeline.core.batches import batches_sweep, shippable_top
from lifeline.core.clock import site_local
from lifeline.core.errors import ValidationFailed
from lifeline.core.models import ChangeLogEntry, Setting, Site, app_schema_number
from lifeline.sync.apply import (
    ApplyReport,
    changes_apply,
    model_plan,
    pending_release_due,
    sites_released,
)
from lifeline.sync.changes import Change, version_before
from lifeline.sync.models import ActorKey, Cursor, PendingChange

FORMAT = 1  # the feed's format; a feed of a higher format is refused, naming both
# Changes of an app written before these migrations cannot be applied here (a migration
# rewrote the rows they describe without new versions): {app label: lowest schema number}.
SCHEMA_FLOORS: dict[str, int] = {"intel": 4}

# Children's protection cases and medical records: only for peers allowed to hold them.
PROTECTED_MODELS = frozenset(
    {
        "people.protectioncase",
        "people.conditionobservation",
        "care.patient",
        "care.triageassessment",
        "care.vitalsigns",
        "care.death",
        "care.treatment",
        "care.dosegiven",
        "care.allocationoutcome",
    }
)


class FeedRefused(ValidationFailed):
    """A feed refused whole: nothing of it was applied."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__({reason: message}, message)
        self.reason = reason


def site_dict(site: Site) -> dict[str, Any]:
    return {
        "id": str(site.pk),
        "code": site.code,
        "name": site.name,
        "latitude": site.latitude,
        "longitude": site.longitude,
    }


def schema_numbers() -> dict[str, int]:
    labels = {label.split(".")[0] for label in _replicated_labels()} | {"core", "sync"}
    return {label: app_schema_number(label) for label in sorted(labels)}


def _replicated_labels() -> list[str]:
    from lifeline.sync.apply import replicated_model_labels

    return replicated_model_labels()


def own_top(site: Site) -> str | None:
    """The last version of this site's own changes that may leave it (None: it wrote none):
    never a change of an unfinished batch (an import still writing, or killed and not yet
    swept), which may be removed (core.batches)."""
    mine = ChangeLogEntry.objects.filter(source_site=site.pk).aggregate(top=Max("version"))
    return shippable_top(mine["top"]) if mine["top"] else None


def cursors_mine() -> dict[str, str]:
    """What this site has of each writer site: all of its own changes that may leave it, and
    of the others up to the cursor, stopping short of any change of theirs still waiting
    here."""
    here = site_local()
    have: dict[str, str] = {c.source_site.hex: c.version for c in Cursor.objects.all()}
    top = own_top(here)
    if top is not None:
        have[here.pk.hex] = top
    waiting = PendingChange.objects.values("source_site").annotate(low=Min("version"))
    for row in waiting:
        source = row["source_site"].hex
        if source in have:
            have[source] = min(have[source], version_before(row["low"]))
    return have


@dataclass(frozen=True)
class FeedScope:
    """What leaves for whom: from which version of each writer site, protected or not."""

    since: dict[str, str]  # writer site hex -> the version the receiver has
    protected: bool


def feed_build(
    *, scope: FeedScope, recipient: Site | None, limit: int | None = None
) -> dict[str, Any]:
    """The feed of every change the receiver lacks (per writer site, after `scope.since`);
    with `limit`, a chunk of at most that many, each writer's range ending at its last change
    carried, and `more` true when changes were left for the next chunk."""
    here = site_local()
    batches_sweep()  # a killed import's rows go before anything is read
    have = cursors_mine()
    sources: set[uuid.UUID] = {
        source
        for source in ChangeLogEntry.objects.values_list("source_site", flat=True).distinct()
        if source is not None
    }
    changes: list[dict[str, Any]] = []
    ranges: dict[str, list[str]] = {}
    user_ids: set[int] = set()
    more = False
    for source in sorted(sources, key=lambda s: s.hex):
        since = scope.since.get(source.hex, "")
        entries = ChangeLogEntry.objects.filter(source_site=source, version__gt=since).order_by(
            "version"
        )
        if source == here.pk and source.hex in have:
            # Only up to what the cursor says: it stops short of an open batch's changes.
            entries = entries.filter(version__lte=have[source.hex])
        if not scope.protected:
            entries = entries.exclude(model__in=PROTECTED_MODELS)
        room = None if limit is None else limit - len(changes)
        if room is not None and room <= 0:
            more = more or entries.exists()
            continue
        last = None
        window = entries if room is None else entries[:room]
        for entry in window.iterator(chunk_size=2000):
            change = _entry_change(entry, user_ids)
            if change is not None:
                changes.append(change)
            last = entry.version
        cut = room is not None and last is not None and entries.filter(version__gt=last).exists()
        more = more or cut
        if source.hex in have:
            end = min(last, have[source.hex]) if cut and last is not None else have[source.hex]
            ranges[source.hex] = [since, end]
    actors, key_of = _actor_table(user_ids)
    for change in changes:
        for attname, value in change["fields"].items():
            if isinstance(value, _ActorRef):
                change["fields"][attname] = key_of.get(value.user_id)
    sites = [site_dict(s) for s in Site.objects.order_by("code")]
    return {
        "format": FORMAT,
        "sender": site_dict(here),
        "recipient": str(recipient.pk) if recipient is not None else None,
        "made_at": timezone.now().isoformat(),
        "schema": schema_numbers(),
        "cursors": have,
        "ranges": ranges,
        "sites": sites,
        "settings": _settings_of(here),
        "actors": actors,
        "changes": changes,
        "more": more,
    }


def _entry_change(entry: ChangeLogEntry, user_ids: set[int]) -> dict[str, Any] | None:
    plan = model_plan(entry.model)
    fields = dict(entry.fields)
    if plan is not None:
        for attname in plan.actors:
            value = fields.get(attname)
            if isinstance(value, int):
                user_ids.add(value)
                fields[attname] = _ActorRef(value)  # resolved to a key once all are known
    return {
        "model": entry.model,
        "id": str(entry.object_id),
        "op": entry.op,
        "v": entry.version,
        "origin": str(entry.origin_site_id),
        "fields": fields,
        "base": entry.base,
        "schema": entry.schema,
    }


@dataclass(frozen=True)
class _ActorRef:
    user_id: int


def _actor_table(user_ids: set[int]) -> tuple[dict[str, dict[str, Any]], dict[int, str]]:
    """The actors named, by key (a key is made for a local user named for the first time),
    and each user id's key."""
    User = get_user_model()
    keys = {a.user_id: a for a in ActorKey.objects.filter(user_id__in=user_ids)}
    here = site_local()
    for user in User.objects.filter(pk__in=user_ids - set(keys)):
        keys[user.pk] = ActorKey.objects.create(
            user=user, username=user.get_username(), home_site=here.pk
        )
    table = {
        str(a.key): {"username": a.username, "site": str(a.home_site) if a.home_site else None}
        for a in keys.values()
    }
    return table, {uid: str(a.key) for uid, a in keys.items()}


def _settings_of(site: Site) -> list[dict[str, Any]]:
    return [
        {"site": str(site.pk), "key": s.key, "value": s.value, "updated_at": s.updated_at}
        for s in Setting.objects.filter(site=site).order_by("key")
    ]


def feed_check(feed: dict[str, Any]) -> None:
    """Refuse a feed this site cannot apply: a newer format, or changes of a schema older than
    this site accepts. Says which versions."""
    version = feed.get("format")
    if not isinstance(version, int) or version > FORMAT or version < 1:
        raise FeedRefused(
            "format",
            _(
                "this feed is in sync format %(version)s; this site reads formats 1 to "
                "%(newest)s: update Lifeline here"
            )
            % {"version": version, "newest": FORMAT}
            if isinstance(version, int) and version > FORMAT
            else _(
                "this feed is in sync format %(version)r; this site reads formats 1 to %(newest)s"
            )
            % {"version": version, "newest": FORMAT},
        )
    schema = feed.get("schema") or {}
    for app, floor in SCHEMA_FLOORS.items():
        theirs = schema.get(app)
        if isinstance(theirs, int) and 0 < theirs < floor:
            raise FeedRefused(
                "schema",
                _(
                    "the sender's %(app)s is at migration %(theirs)s; this site accepts %(app)s "
                    "changes from migration %(floor)s: update Lifeline at the sender"
                )
                % {"app": app, "theirs": f"{theirs:04d}", "floor": f"{floor:04d}"},
            )


@dataclass
class FeedReport:
    apply: ApplyReport
    sites_new: int = 0


@transaction.atomic
def feed_apply(feed: dict[str, Any], *, now_ms: int | None = None) -> FeedReport:
    """Apply a feed here in one transaction: sites, settings, actors, changes, cursors."""
    feed_check(feed)
    new_sites = _sites_upsert(feed.get("sites") or [])
    sender = uuid.UUID(str(feed["sender"]["id"]))
    _settings_upsert(feed.get("settings") or [], sender)
    users = _actors_resolve(feed.get("actors") or {})
    changes = [_change_local(raw, users) for raw in feed.get("changes") or []]
    changes.extend(sites_released(new_sites))
    report = changes_apply(changes, now_ms=now_ms)
    report.add(pending_release_due(now_ms=now_ms))
    _cursors_advance(feed.get("ranges") or {})
    return FeedReport(apply=report, sites_new=len(new_sites))


def _sites_upsert(sites: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
    """Sites appear at their peers; a site's own name and position come from itself."""
    created: list[uuid.UUID] = []
    here = site_local()
    for raw in sites:
        site_id = uuid.UUID(str(raw["id"]))
        if site_id == here.pk:
            continue
        site = Site.objects.filter(pk=site_id).first()
        if site is None:
            code = str(raw["code"])
            if Site.objects.filter(code=code).exists():
                raise FeedRefused(
                    "sites",
                    _("site code %(code)r names another site here: two installations share it")
                    % {"code": code},
                )
            Site.objects.create(
                id=site_id,
                code=code,
                name=str(raw.get("name") or code),
                latitude=raw.get("latitude"),
                longitude=raw.get("longitude"),
            )
            created.append(site_id)
    return created


def _settings_upsert(rows: Iterable[dict[str, Any]], sender: uuid.UUID) -> None:
    """The sender's own settings, as it set them, where its peers can read them."""
    for raw in rows:
        if uuid.UUID(str(raw["site"])) != sender:
            continue
        at = raw.get("updated_at")
        when = at if isinstance(at, datetime) else parse_datetime(str(at)) if at else None
        row = Setting.objects.filter(site_id=sender, key=raw["key"]).first()
        if row is None:
            Setting.objects.create(
                site_id=sender,
                key=raw["key"],
                value=raw.get("value"),
                updated_at=when or timezone.now(),
            )
        elif when is not None and when > row.updated_at:
            row.value = raw.get("value")
            row.updated_at = when
            row.save(update_fields=["value", "updated_at"])


def _actors_resolve(actors: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Local user ids of the actors named; an actor never seen here becomes an inactive
    placeholder user (it cannot sign in) named after its home username and site."""
    User = get_user_model()
    keys = {uuid.UUID(k): v for k, v in actors.items()}
    known = {a.key: a.user_id for a in ActorKey.objects.filter(key__in=list(keys))}
    sites = {str(s.pk): s.code for s in Site.objects.all()}
    for key, info in keys.items():
        if key in known:
            continue
        username = str(info.get("username") or "someone")
        home = sites.get(str(info.get("site")), "elsewhere")
        name = f"{username}@{home}"[:140]
        candidate, n = name, 1
        while User.objects.filter(username=candidate).exists():
            n += 1
            candidate = f"{name}-{n}"
        user = User(username=candidate, is_active=False)
        user.set_unusable_password()
        user.save()
        ActorKey.objects.create(
            key=key,
            user=user,
            username=username,
            home_site=uuid.UUID(str(info["site"])) if info.get("site") else None,
        )
        known[key] = user.pk
    return {str(k): v for k, v in known.items()}


def _change_local(raw: dict[str, Any], users: dict[str, int]) -> Change:
    """A change of the feed with its actors as local user ids (built once: a feed may hold
    hundreds of thousands)."""
    plan = model_plan(str(raw["model"]))
    if plan is not None and plan.actors:
        fields = dict(raw["fields"])
        for attname in plan.actors:
            value = fields.get(attname)
            if value is not None:
                fields[attname] = users.get(str(value))
        raw = {**raw, "fields": fields}
    return Change.from_json(raw)


def _cursors_advance(ranges: dict[str, list[str]]) -> None:
    """A range (from, to] of a writer site's changes, complete in the feed, extends what this
    site has of it when it starts at or before what this site had."""
    here = site_local().pk.hex
    now = timezone.now()
    current = {c.source_site.hex: c for c in Cursor.objects.all()}
    waiting = {
        row["source_site"].hex: row["low"]
        for row in PendingChange.objects.values("source_site").annotate(low=Min("version"))
    }
    for source, (start, end) in ranges.items():
        if source == here or not end:
            continue
        if source in waiting:  # not had until it is applied
            end = min(end, version_before(waiting[source]))
        cursor = current.get(source)
        had = cursor.version if cursor is not None else ""
        if start <= had and end > had:
            Cursor.objects.update_or_create(
                source_site=uuid.UUID(hex=source), defaults={"version": end, "updated_at": now}
            )


def changes_waiting_count() -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in PendingChange.objects.values("reason"):
        counts[row["reason"]] += 1
    return dict(counts)


__all__ = ["FORMAT", "PROTECTED_MODELS", "FeedRefused", "FeedScope", "feed_apply", "feed_build"]
