"""Where the name index is kept, and how it follows the registry.

The index (`matching.index.NameIndex`, pure) is saved under `settings.VAR_DIR` with the
change-log position (`ChangeLogEntry.seq`) it reflects. In a process it is loaded once, then
brought up to date before each search from the change-log rows of persons after that position
(registered, renamed, merged, moved, deleted). It is rebuilt from the database only when the
file is missing, unreadable, from another schema version or from another database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Max

from lifeline.core.keys import at_rest_open, at_rest_seal
from lifeline.core.models import ChangeLogEntry
from lifeline.people.matching.index import IndexRecord, NameIndex
from lifeline.people.matching.names import NameToken
from lifeline.people.models import Person, StatusEvent

log = logging.getLogger(__name__)

SCHEMA_VERSION = 8  # 7: tokens carry their other readings (names.READINGS); 8: fewer of them


# ---- the file -----------------------------------------------------------------------------------


def index_file_write(index: NameIndex, path: Path, *, database: str) -> None:
    """Write the index (compacted) next to a temporary name, then move it into place."""
    index.compact()
    n = index.rows
    meta = {"schema": SCHEMA_VERSION, "watermark": index.watermark, "database": database}
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with io.BytesIO() as fh:  # sealed (encrypted when the database is) before it is written
        np.savez(
            fh,
            meta=np.array(json.dumps(meta)),
            token_text=np.array([t.text for t in index.tokens] or [""], dtype=str),
            token_skeleton=np.array([t.skeleton for t in index.tokens] or [""], dtype=str),
            token_vowels=np.array(["|".join(t.vowels) for t in index.tokens] or [""], dtype=str),
            token_alternates=np.array(
                [_alternates_text(t) for t in index.tokens] or [""], dtype=str
            ),
            token_flags=np.array(
                [int(t.feminine) | (int(t.arabic) << 1) for t in index.tokens],
                dtype=np.int8,
            ),
            skeletons=np.array(index.skeletons, dtype=str),
            row_tokens=index.row_tokens[:n],
            words=np.array(index.words, dtype=str),
            row_words=index.row_words[:n],
            row_sex=index.row_sex[:n],
            row_year=index.row_year[:n],
            row_alive=index.row_alive[:n],
            row_site=index.row_site[:n],
            row_household=index.row_household[:n],
            sites=np.array(index.sites, dtype=str),
            households=np.array(index.households, dtype=str),
            row_hi=index.row_hi[:n],
            row_lo=index.row_lo[:n],
            keys=index.keys,
            key_rows=index.key_rows,
        )
        sealed = at_rest_seal(fh.getvalue())
    # Names with households and sites: readable by the server's own account only.
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(sealed)
    tmp.chmod(0o600)  # also when a stale .tmp of another mode was left behind
    os.replace(tmp, path)


def _alternates_text(token: NameToken) -> str:
    """A token's other readings as one string: reading;text;skeleton;vowels;flags, each
    separated by #. (Letters only in texts and skeletons; vowel groups joined by |.)"""
    return "#".join(
        f"{t.reading};{t.text};{t.skeleton};{'|'.join(t.vowels)};{int(t.feminine)}{int(t.arabic)}"
        for t in token.alternates
    )


def _alternates_read(text: str) -> tuple[NameToken, ...]:
    out = []
    for part in text.split("#") if text else ():
        reading, token_text, skeleton, vowels, flags = part.split(";")
        out.append(
            NameToken(
                text=token_text,
                skeleton=skeleton,
                vowels=tuple(vowels.split("|")),
                feminine=flags[0] == "1",
                arabic=flags[1] == "1",
                reading=reading,
            )
        )
    return tuple(out)


def index_file_read(path: Path, *, database: str) -> NameIndex | None:
    """The index saved at `path`, or None when it is missing, unreadable or not ours."""
    if not path.exists():
        return None
    try:
        with np.load(io.BytesIO(at_rest_open(path.read_bytes())), allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("schema") != SCHEMA_VERSION or meta.get("database") != database:
                return None
            index = NameIndex()
            flags = data["token_flags"]
            texts = data["token_text"].tolist()
            skeletons = data["token_skeleton"].tolist()
            vowels = data["token_vowels"].tolist()
            alternates = data["token_alternates"].tolist()
            for i in range(len(flags)):
                index.tokens.append(
                    NameToken(
                        text=texts[i],
                        skeleton=skeletons[i],
                        vowels=tuple(vowels[i].split("|")),
                        feminine=bool(flags[i] & 1),
                        arabic=bool(flags[i] & 2),
                        alternates=_alternates_read(alternates[i]),
                    )
                )
            index.token_ids = {t: i for i, t in enumerate(index.tokens)}
            index.skeletons = data["skeletons"].tolist()
            index.skeleton_ids = {s: i for i, s in enumerate(index.skeletons)}
            index.row_tokens = data["row_tokens"]
            index.words = data["words"].tolist()
            index.word_ids = {w: i for i, w in enumerate(index.words)}
            index.row_words = data["row_words"]
            index.row_sex = data["row_sex"]
            index.row_year = data["row_year"]
            index.row_alive = data["row_alive"]
            index.row_site = data["row_site"]
            index.row_household = data["row_household"]
            index.sites = data["sites"].tolist()
            index.site_ids = {s: i for i, s in enumerate(index.sites)}
            index.households = data["households"].tolist()
            index.household_ids = {h: i for i, h in enumerate(index.households)}
            index.row_hi = data["row_hi"]
            index.row_lo = data["row_lo"]
            index.keys = data["keys"]
            index.key_rows = data["key_rows"]
            index.rows = len(index.row_sex)
            index.watermark = int(meta["watermark"])
            index.database = database
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        log.warning("name index at %s is not usable (%s); it will be rebuilt", path, exc)
        return None
    alive = np.nonzero(index.row_alive)[0]
    index.row_of = {
        uuid.UUID(int=(int(h) << 64) | int(lo)): int(r)
        for r, h, lo in zip(
            alive.tolist(),
            index.row_hi[alive].tolist(),
            index.row_lo[alive].tolist(),
            strict=True,
        )
    }
    return index


# ---- the index of this database, kept up to date from the change log --------------------------

PERSON_MODEL = "people.person"
STATUS_EVENT_MODEL = "people.statusevent"
WATCHED_MODELS = (PERSON_MODEL, STATUS_EVENT_MODEL)
SAVE_EVERY = 2_000  # rows applied from the change log before the file is written again
_lock = threading.Lock()
_current: NameIndex | None = None
_applied_since_save = 0


def index_path() -> Path:
    return Path(settings.VAR_DIR) / "search" / "name-index.npz"


def _database_label() -> str:
    settings_dict = connection.settings_dict
    return f"{connection.vendor}:{settings_dict.get('HOST') or ''}:{settings_dict['NAME']}"


def _record_of(values: dict[str, Any]) -> IndexRecord:
    dob: dt.date | None = values["date_of_birth"]
    names = (values["given_name"], values["family_name"], *(values["other_names"] or []))
    household = values["household_id"]
    return IndexRecord(
        person_id=values["id"],
        names=tuple(n or "" for n in names),  # in place: the first is the given name
        sex=values["sex"],
        birth_year=dob.year if dob else None,
        household=str(household) if household else "",
        site=values["current_site__code"] or "",
    )


_FIELDS = (
    "id", "given_name", "family_name", "other_names", "sex", "date_of_birth", "household_id",
    "current_site__code",
)  # fmt: skip


def _rebuild() -> NameIndex:
    top = ChangeLogEntry.objects.aggregate(top=Max("seq"))["top"] or 0
    rows = Person.objects.alive().order_by().values(*_FIELDS).iterator(chunk_size=5000)
    index = NameIndex().build((_record_of(v) for v in rows), watermark=top)
    index.database = _database_label()
    index_file_write(index, index_path(), database=_database_label())
    return index


def _catch_up(index: NameIndex, top: int | None = None) -> int:
    """Apply the persons changed since the index's watermark; returns how many.

    A person changes through their own rows (registered, renamed, merged, deleted) and through
    their status events, which move the site the index keeps (`person_state_refresh` saves it
    as a derived field, which the change log does not carry): an event's person, and the
    person a merged record's events count for, are read again too. `top`: the change log's
    last position, read just before; none past the watermark costs no query."""
    if top is not None and top <= index.watermark:
        return 0
    entries = ChangeLogEntry.objects.filter(seq__gt=index.watermark, model__in=WATCHED_MODELS)
    if top is not None:
        entries = entries.filter(seq__lte=top)
    changes = list(entries.order_by("seq").values_list("seq", "model", "object_id"))
    if not changes:
        if top is not None:
            index.watermark = top  # changes of other models only: none to read again
        return 0
    wanted = dict.fromkeys(oid for _, model, oid in changes if model == PERSON_MODEL)
    events = list({oid for _, model, oid in changes if model == STATUS_EVENT_MODEL})
    for start in range(0, len(events), 500):
        owners = StatusEvent.objects.filter(pk__in=events[start : start + 500]).values_list(
            "person_id", "person__merged_into_id"
        )
        for person_id, survivor_id in owners:
            wanted.update(dict.fromkeys(pid for pid in (person_id, survivor_id) if pid))
    ids = list(wanted)
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for values in Person.objects.filter(pk__in=chunk).values(*_FIELDS, "deleted_at"):
            found[values["id"]] = values
    for person_id in ids:
        values = found.get(person_id)
        if values is None or values["deleted_at"] is not None:
            index.remove(person_id)
        else:
            index.upsert(_record_of(values))
    index.watermark = max(top or 0, *(seq for seq, _, _ in changes))
    return len(ids)


def index_current() -> NameIndex:
    """This database's index: loaded (or rebuilt) once, then caught up with the change log."""
    global _current, _applied_since_save

    with _lock:
        database = _database_label()
        index = _current if _current is not None and _current.database == database else None
        if index is None:
            index = index_file_read(index_path(), database=database)
        top: int | None = None
        if index is not None:
            top = ChangeLogEntry.objects.aggregate(top=Max("seq"))["top"] or 0
            if top < index.watermark:  # the database was replaced under the file
                index = None
        if index is None:
            index = _rebuild()
            _applied_since_save = 0
            top = None
        applied = _catch_up(index, top)
        _applied_since_save += applied
        if _applied_since_save >= SAVE_EVERY:
            index_file_write(index, index_path(), database=database)
            _applied_since_save = 0
        _current = index
        return index


def index_persons_refresh(ids: Iterable[uuid.UUID]) -> int:
    """Bring these persons up to date now in this database's index, if this process holds
    it: rows sync applied from another site, whose derived site only the apply hook wrote,
    so that a search right after the apply finds them where they are. Sync's apply path
    appends every change it applies to the change log, so an index not loaded here (or a
    file read after a restart) catches up with them from there; this costs an apply no load
    nor catch-up of the index. Returns how many were applied."""
    wanted = list(dict.fromkeys(ids))
    with _lock:
        index = _current
        if not wanted or index is None or index.database != _database_label():
            return 0
        found: dict[uuid.UUID, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for values in Person.objects.filter(pk__in=chunk).values(*_FIELDS, "deleted_at"):
                found[values["id"]] = values
        for person_id in wanted:
            values = found.get(person_id)
            if values is None or values["deleted_at"] is not None:
                index.remove(person_id)
            else:
                index.upsert(_record_of(values))
    return len(wanted)


def index_forget() -> None:
    """Drop the in-memory index (tests; a restore of the database)."""
    global _current, _applied_since_save
    with _lock:
        _current = None
        _applied_since_save = 0


def index_save() -> None:
    with _lock:
        if _current is not None:
            index_file_write(_current, index_path(), database=_database_label())
