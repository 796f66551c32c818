"""Writes of the registry. Each service is one transaction that checks the actor's role,
validates, writes the rows (the change log follows each save) and the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict, ValidationFailed
from lifeline.core.instances import instance_new
from lifeline.core.models import Site
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.people import rules
from lifeline.people.models import (
    Condition,
    ConditionObservation,
    Household,
    Person,
    PersonMerge,
    Sex,
    Status,
    StatusEvent,
)

# Fields a registrar may set on a person, with or without the status history.
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_date_estimated",
    "languages",
    "callsign",
    "phone",
    "photo",
    "household",
    "notes",
)
# A status event may be recorded a little ahead of the server clock (an unsynced phone).
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


# The codes of each choice, read once (a Choices class builds its list on every read, which
# a bulk import of many rows noticed).
_SEXES = frozenset(Sex.values)
_STATUSES = frozenset(Status.values)
_CONDITIONS = frozenset(Condition.values)


def _today() -> dt.date:
    return timezone.localdate()


def _person_values_check(
    values: Mapping[str, Any], *, creating: bool, today: dt.date | None = None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if creating or "given_name" in values or "family_name" in values:
        given = str(values.get("given_name") or "").strip()
        family = str(values.get("family_name") or "").strip()
        if not given and not family:
            problems["given_name"] = [_("a given or a family name is required")]
    for name_field in ("given_name", "family_name"):
        problem = rules.name_problem(str(values.get(name_field) or ""))
        if problem is not None:
            problems[name_field] = [problem]
    sex = values.get("sex")
    if sex is not None and sex not in _SEXES:
        problems["sex"] = [_("must be one of %(join)s") % {"join": ", ".join(Sex.values)}]
    dob = values.get("date_of_birth")
    if dob is not None:
        problem = rules.birth_date_problem(dob, today or _today())
        if problem:
            problems["date_of_birth"] = [_(problem)]
    for list_field in ("other_names", "languages"):
        items = values.get(list_field)
        if items is not None and (
            not isinstance(items, list) or not all(isinstance(i, str) for i in items)
        ):
            problems[list_field] = [_("must be a list of text")]
    named = [rules.name_problem(name) for name in values.get("other_names") or []]
    if any(named) and "other_names" not in problems:
        problems["other_names"] = [problem for problem in named if problem]
    return problems


def _location_check(
    *, latitude: float | None, longitude: float | None, occurred_at: dt.datetime | None
) -> dict[str, list[str]]:
    problems = {k: [_(v)] for k, v in rules.coordinates_problems(latitude, longitude).items()}
    if occurred_at is not None:
        if timezone.is_naive(occurred_at):
            problems["occurred_at"] = [_("must include a time zone")]
        elif occurred_at > timezone.now() + FUTURE_TOLERANCE:
            problems["occurred_at"] = [_("is in the future")]
    return problems


def birth_date_resolve(
    *, date_of_birth: dt.date | None, age_years: int | None, today: dt.date | None = None
) -> tuple[dt.date | None, bool]:
    """A date of birth, or one estimated from an age: (date, estimated?)."""
    if date_of_birth is not None and age_years is not None:
        raise ValidationFailed({"age_years": _("give a date of birth or an age, not both")})
    if age_years is not None:
        if not 0 <= age_years <= rules.MAX_AGE_YEARS:
            raise ValidationFailed(
                {
                    "age_years": _("must be between 0 and %(MAX_AGE_YEARS)s")
                    % {"MAX_AGE_YEARS": rules.MAX_AGE_YEARS}
                }
            )
        return rules.birth_date_from_age(age_years, today or _today()), True
    return date_of_birth, False


def _search_text_of(person: Person) -> str:
    names = [person.given_name, person.family_name, *person.other_names, person.callsign]
    return rules.search_text(names)


def person_state_refresh(person: Person) -> None:
    """Recompute the cached status and location from the status history (own and merged)."""
    latest = (
        StatusEvent.objects.alive()
        .filter(person_id__in=person_record_ids(person))
        .order_by("-occurred_at", "-version")
        .first()
    )
    if latest is None:
        person.status, person.current_site_id, person.status_since = Status.PRESENT, None, None
        person.current_area, person.current_latitude, person.current_longitude = "", None, None
    else:
        person.status = latest.status
        person.current_site_id = latest.site_id
        person.current_area = latest.area
        person.current_latitude = latest.latitude
        person.current_longitude = latest.longitude
        person.status_since = latest.occurred_at
    person.save(update_fields=sorted(Person.derived_fields - {"search_text"}))


def person_record_ids(person: Person) -> list[Any]:
    """This person's id and the ids of every record merged into it (merges are flattened)."""
    merged = Person.objects.filter(merged_into=person).values_list("id", flat=True)
    return [person.pk, *merged]


@dataclass
class PersonDraft:
    """A registration checked and built, not yet written: the person (its cached state set
    from its first event), that event, and the conditions seen at intake."""

    person: Person
    event: StatusEvent
    observations: list[ConditionObservation]


def person_draft(
    *,
    actor: Actor | None,
    given_name: str = "",
    family_name: str = "",
    other_names: Iterable[str] = (),
    sex: str = Sex.UNKNOWN,
    date_of_birth: dt.date | None = None,
    age_years: int | None = None,
    birth_date_estimated: bool = False,
    languages: Iterable[str] = (),
    callsign: str = "",
    phone: str = "",
    household: Household | None = None,
    notes: str = "",
    status: str = Status.PRESENT,
    site: Site | None = None,
    area: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    occurred_at: dt.datetime | None = None,
    conditions: Iterable[str] = (),
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    permissions_held: frozenset[str] = frozenset(),
) -> PersonDraft:
    """Every rule and permission of a registration, and the rows it would write: what
    `person_register` writes one at a time and the bulk import (`people.bulk`) many at once.
    A batch passes `today`, `now` (when its rows are registered, unless `occurred_at` says
    otherwise) and the permissions it has required of the actor already (`permissions_held`)
    once for all its rows."""
    if "people.add_person" not in permissions_held:
        permission_require(actor, "people.add_person", doing=_("register people"))
    today = today or _today()
    dob, estimated = birth_date_resolve(
        date_of_birth=date_of_birth, age_years=age_years, today=today
    )
    # A date of birth worked out elsewhere (an import, the demo) may itself be an estimate.
    estimated = estimated or (dob is not None and birth_date_estimated)
    values: dict[str, Any] = {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "other_names": [n.strip() for n in other_names if n.strip()],
        "sex": sex,
        "date_of_birth": dob,
        "birth_date_estimated": estimated,
        "languages": [lang.strip() for lang in languages if lang.strip()],
        "callsign": callsign.strip(),
        "phone": phone.strip(),
        "household": household,
        "notes": notes,
    }
    problems = _person_values_check(values, creating=True, today=today)
    problems |= _location_check(latitude=latitude, longitude=longitude, occurred_at=occurred_at)
    if status not in _STATUSES:
        problems["status"] = [_("must be one of %(join)s") % {"join": ", ".join(Status.values)}]
    condition_list = list(conditions)
    if condition_list and "people.record_condition" not in permissions_held:
        # Conditions seen at intake are condition observations: the same permission applies.
        permission_require(actor, "people.record_condition", doing=_("record a person's condition"))
    unknown = [c for c in condition_list if c not in _CONDITIONS]
    if unknown:
        problems["conditions"] = [_("unknown condition “%(c)s”") % {"c": c} for c in unknown]
    if household is not None and household.is_deleted:
        problems["household"] = [_("was deleted")]
    if problems:
        raise ValidationFailed(problems)

    when = occurred_at or now or timezone.now()
    created = now or when
    place = site or site_local()
    recorder = actor_user(actor)
    # A new person's state is the one event registered with them: the cached state is set
    # before the first save instead of re-read and re-saved (a third fewer queries).
    person = instance_new(
        Person,
        {
            **values,
            "search_text": rules.search_text(
                [values[k] for k in ("given_name", "family_name")]
                + [*values["other_names"], values["callsign"]]
            ),
            "status": status,
            "current_site": place,
            "current_area": area,
            "current_latitude": latitude,
            "current_longitude": longitude,
            "status_since": when,
            "created_at": created,
        },
    )
    event = instance_new(
        StatusEvent,
        {
            "person": person,
            "status": status,
            "site": place,
            "area": area,
            "latitude": latitude,
            "longitude": longitude,
            "occurred_at": when,
            "recorded_by": recorder,
            "note": "registered",
            "created_at": created,
        },
    )
    observations = [
        instance_new(
            ConditionObservation,
            {
                "person": person,
                "condition": condition,
                "observed_at": when,
                "observed_by": recorder,
                "created_at": created,
            },
        )
        for condition in condition_list
    ]
    return PersonDraft(person=person, event=event, observations=observations)


@transaction.atomic
def person_register(*, actor: Actor | None, **values: Any) -> Person:
    """Register a person (see `person_draft` for the fields and rules), with the tracing and
    protection that follow a registration."""
    draft = person_draft(actor=actor, **values)
    person = draft.person
    person.save()
    draft.event.person = person
    draft.event.save()
    for observation in draft.observations:
        observation.person = person
        observation.save()
    audit_record(actor=actor, action="person.register", obj=person, summary=person.full_name)
    # Open tracing requests are matched against the newcomer; an unaccompanied child gets a
    # protection case (people.protection owns both rules).
    from lifeline.people.protection import person_registered

    person_registered(actor=actor, person=person)
    return person


@transaction.atomic
def person_update(*, actor: Actor | None, person: Person, changes: Mapping[str, Any]) -> Person:
    permission_require(actor, "people.change_person", doing=_("change people's records"))
    person = _person_lock(person)
    changes = dict(changes)
    if "age_years" in changes:
        age = changes.pop("age_years")
        if age is not None:
            dob, estimated = birth_date_resolve(
                date_of_birth=changes.get("date_of_birth"), age_years=age
            )
            changes["date_of_birth"], changes["birth_date_estimated"] = dob, estimated
    elif "date_of_birth" in changes:
        changes.setdefault("birth_date_estimated", False)
    unknown = sorted(set(changes) - set(PERSON_FIELDS))
    if unknown:
        raise ValidationFailed({name: "cannot be changed here" for name in unknown})
    problems = _person_values_check(
        {**{f: getattr(person, f) for f in ("given_name", "family_name")}, **changes},
        creating=False,
    )
    household = changes.get("household")
    if household is not None and household.is_deleted:
        problems["household"] = [_("was deleted")]
    if problems:
        raise ValidationFailed(problems)
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        return person
    before = {name: getattr(person, name) for name in changed}
    for name in changed:
        setattr(person, name, changes[name])
    person.search_text = _search_text_of(person)
    person.save(update_fields=[*changed, "search_text"])
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        summary=person.full_name,
        detail={"fields": changed, "before": _plain(before)},
    )
    return person


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v.pk) if hasattr(v, "pk") else v) for k, v in values.items()}


def _person_lock(person: Person) -> Person:
    """Re-read the row under a lock so that concurrent writers do not interleave."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.is_deleted:
        if locked.merged_into_id:
            raise Conflict(
                _("%(person)s was deleted (merged into %(survivor)s)")
                % {"person": person, "survivor": locked.merged_into_id}
            )
        raise Conflict(_("%(person)s was deleted") % {"person": person})
    return locked


@transaction.atomic
def person_status_record(
    *,
    actor: Actor | None,
    person: Person,
    status: str,
    site: Site | None = None,
    area: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    occurred_at: dt.datetime | None = None,
    note: str = "",
) -> StatusEvent:
    permission_require(actor, "people.record_status", doing=_("record a person's status"))
    person = _person_lock(person)
    problems = _location_check(latitude=latitude, longitude=longitude, occurred_at=occurred_at)
    if status not in Status.values:
        problems["status"] = [_("must be one of %(join)s") % {"join": ", ".join(Status.values)}]
    if person.status == Status.DECEASED and status != Status.DECEASED:
        problems["status"] = [_("the person is recorded as deceased; correct that event first")]
    if problems:
        raise ValidationFailed(problems)
    event = StatusEvent(
        person=person,
        status=status,
        site=site or person.current_site or site_local(),
        area=area,
        latitude=latitude,
        longitude=longitude,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=actor_user(actor),
        note=note,
    )
    event.save()
    person_state_refresh(person)
    audit_record(
        actor=actor,
        action="person.status",
        obj=person,
        summary=f"{person.full_name}: {status}",
        detail={"event": str(event.pk), "status": status},
    )
    return event


@transaction.atomic
def person_condition_record(
    *,
    actor: Actor | None,
    person: Person,
    condition: str,
    present: bool = True,
    note: str = "",
    observed_at: dt.datetime | None = None,
) -> ConditionObservation:
    permission_require(actor, "people.record_condition", doing=_("record a person's condition"))
    person = _person_lock(person)
    problems = _location_check(latitude=None, longitude=None, occurred_at=observed_at)
    if "occurred_at" in problems:
        problems["observed_at"] = problems.pop("occurred_at")
    if condition not in Condition.values:
        problems["condition"] = [
            _("must be one of %(join)s") % {"join": ", ".join(Condition.values)}
        ]
    if problems:
        raise ValidationFailed(problems)
    observation = ConditionObservation(
        person=person,
        condition=condition,
        present=present,
        note=note,
        observed_at=observed_at or timezone.now(),
        observed_by=actor_user(actor),
    )
    observation.save()
    # The audit summary names no condition: the audit log is read more widely than records.
    audit_record(
        actor=actor,
        action="person.condition",
        obj=person,
        summary=person.full_name,
        detail={"observation": str(observation.pk)},
    )
    return observation


@transaction.atomic
def person_delete(*, actor: Actor | None, person: Person, reason: str) -> Person:
    permission_require(actor, "people.delete_person", doing=_("delete people's records"))
    if not reason.strip():
        raise ValidationFailed({"reason": _("say why the record is deleted")})
    person = _person_lock(person)
    person.delete()
    for household in Household.objects.alive().filter(head=person):
        household.head = None
        household.save(update_fields=["head"])
    audit_record(
        actor=actor,
        action="person.delete",
        obj=person,
        summary=person.full_name,
        detail={"reason": reason},
    )
    return person


MERGE_FILLABLE = (
    "family_name",
    "given_name",
    "sex",
    "date_of_birth",
    "birth_date_estimated",
    "callsign",
    "phone",
    "household",
    "notes",
)


@transaction.atomic
def person_merge(
    *, actor: Actor | None, survivor: Person, duplicate: Person, reason: str = ""
) -> PersonMerge:
    """Fold `duplicate` into `survivor`: both histories kept, the duplicate tombstoned."""
    permission_require(actor, "people.merge_person", doing=_("merge records"))
    if survivor.pk == duplicate.pk:
        raise ValidationFailed({"duplicate": _("is the same record as the survivor")})
    survivor, duplicate = _person_lock(survivor), _person_lock(duplicate)
    filled: dict[str, Any] = {}
    for name in MERGE_FILLABLE:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        blank = mine in ("", None) or (name == "sex" and mine == Sex.UNKNOWN)
        if name == "birth_date_estimated":
            continue  # travels with date_of_birth below
        if blank and theirs not in ("", None):
            filled[name] = mine.pk if isinstance(mine, Household) else mine
            setattr(survivor, name, theirs)
            if name == "date_of_birth":
                filled["birth_date_estimated"] = survivor.birth_date_estimated
                survivor.birth_date_estimated = duplicate.birth_date_estimated
    extra_names = [n for n in (duplicate.full_name, *duplicate.other_names) if n]
    new_other = [
        n for n in extra_names if n not in survivor.other_names and n != survivor.full_name
    ]
    if new_other:
        filled["other_names"] = list(survivor.other_names)
        survivor.other_names = [*survivor.other_names, *new_other]
    if filled:
        survivor.search_text = _search_text_of(survivor)
        survivor.save(update_fields=[*filled, "search_text"])
    repointed = [
        str(pk) for pk in Person.objects.filter(merged_into=duplicate).values_list("id", flat=True)
    ]
    for record in Person.objects.filter(merged_into=duplicate):
        record.merged_into = survivor
        record.save(update_fields=["merged_into"])
    duplicate.merged_into = survivor
    duplicate.deleted_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "deleted_at"])
    merge = PersonMerge(
        survivor=survivor,
        duplicate=duplicate,
        reason=reason,
        filled_fields={"fields": _plain(filled), "repointed": repointed},
        merged_by=actor_user(actor),
    )
    merge.save()
    person_state_refresh(survivor)
    audit_record(
        actor=actor,
        action="person.merge",
        obj=survivor,
        summary=f"{duplicate.full_name} merged into {survivor.full_name}",
        detail={"duplicate": str(duplicate.pk), "merge": str(merge.pk), "reason": reason},
    )
    return merge


@transaction.atomic
def person_merge_undo(*, actor: Actor | None, merge: PersonMerge, reason: str = "") -> Person:
    """Restore the duplicate of a merge as it was; fields filled by the merge are emptied again
    unless someone has changed them since."""
    permission_require(actor, "people.merge_person", doing=_("undo a merge"))
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise Conflict(_("this merge was already undone"))
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    duplicate = Person.objects.select_for_update().get(pk=merge.duplicate_id)
    if duplicate.merged_into_id != survivor.pk:
        raise Conflict(_("the duplicate has been merged elsewhere since; undo that merge first"))
    if survivor.is_deleted:
        raise Conflict(_("the surviving record was merged or deleted since; undo that first"))
    restored: list[str] = []
    for name, old in (merge.filled_fields.get("fields") or {}).items():
        if name == "household":
            if survivor.household_id == duplicate.household_id:
                survivor.household_id = old
                restored.append(name)
            continue
        if name == "other_names":
            dup_names = {duplicate.full_name, *duplicate.other_names}
            survivor.other_names = [
                n for n in survivor.other_names if n in old or n not in dup_names
            ]
            restored.append(name)
            continue
        current = getattr(survivor, name)
        theirs = getattr(duplicate, name)
        if current == theirs:
            if name == "date_of_birth" and isinstance(old, str):
                old = dt.date.fromisoformat(old)
            setattr(survivor, name, old)
            restored.append(name)
    if restored:
        survivor.search_text = _search_text_of(survivor)
        survivor.save(update_fields=[*restored, "search_text"])
    duplicate.merged_into = None
    duplicate.deleted_at = None
    duplicate.save(update_fields=["merged_into", "deleted_at"])
    for record in Person.objects.filter(pk__in=merge.filled_fields.get("repointed") or []):
        record.merged_into = duplicate
        record.save(update_fields=["merged_into"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    person_state_refresh(survivor)
    person_state_refresh(duplicate)
    audit_record(
        actor=actor,
        action="person.merge_undo",
        obj=duplicate,
        summary=f"{duplicate.full_name} split from {survivor.full_name}",
        detail={"merge": str(merge.pk), "reason": reason},
    )
    return duplicate


def _household_values_check(values: Mapping[str, Any], exclude_pk: Any = None) -> None:
    problems: dict[str, list[str]] = {}
    card = values.get("ration_card")
    if card:
        taken = Household.objects.filter(ration_card=card).exclude(pk=exclude_pk).exists()
        if taken:
            problems["ration_card"] = [
                _("“%(card)s” is already the card of another household") % {"card": card}
            ]
    head = values.get("head")
    if head is not None and head.is_deleted:
        problems["head"] = [_("was deleted")]
    if problems:
        raise ValidationFailed(problems)


@transaction.atomic
def household_create(
    *,
    actor: Actor | None,
    ration_card: str | None = None,
    shelter: str = "",
    site: Site | None = None,
    area: str = "",
    head: Person | None = None,
    notes: str = "",
) -> Household:
    permission_require(actor, "people.add_household", doing=_("create households"))
    card = (ration_card or "").strip() or None
    _household_values_check({"ration_card": card, "head": head})
    household = Household(
        ration_card=card, shelter=shelter, site=site or site_local(), area=area, notes=notes
    )
    household.save()
    if head is not None:
        _member_join(household, head)
        household.head = head
        household.save(update_fields=["head"])
    audit_record(actor=actor, action="household.create", obj=household, summary=str(household))
    return household


HOUSEHOLD_FIELDS = ("ration_card", "shelter", "area", "head", "notes")


@transaction.atomic
def household_update(
    *, actor: Actor | None, household: Household, changes: Mapping[str, Any]
) -> Household:
    permission_require(actor, "people.change_household", doing=_("change households"))
    household = Household.objects.select_for_update().get(pk=household.pk)
    unknown = sorted(set(changes) - set(HOUSEHOLD_FIELDS))
    if unknown:
        raise ValidationFailed({name: "cannot be changed here" for name in unknown})
    values = dict(changes)
    if "ration_card" in values:
        values["ration_card"] = (values["ration_card"] or "").strip() or None
    _household_values_check(values, exclude_pk=household.pk)
    head = values.get("head")
    if head is not None and head.household_id != household.pk:
        _member_join(household, head)
    changed = [k for k, v in values.items() if getattr(household, k) != v]
    for name in changed:
        setattr(household, name, values[name])
    if changed:
        household.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="household.update",
            obj=household,
            summary=str(household),
            detail={"fields": changed},
        )
    return household


def _member_join(household: Household, person: Person) -> None:
    person.household = household
    person.save(update_fields=["household"])


@transaction.atomic
def household_member_add(*, actor: Actor | None, household: Household, person: Person) -> Person:
    permission_require(actor, "people.change_household", doing=_("change households"))
    person = _person_lock(person)
    if household.is_deleted:
        raise ValidationFailed({"household": _("was deleted")})
    _member_join(household, person)
    audit_record(
        actor=actor,
        action="household.member_add",
        obj=household,
        summary=f"{person.full_name} joined {household}",
        detail={"person": str(person.pk)},
    )
    return person


@transaction.atomic
def household_member_remove(*, actor: Actor | None, household: Household, person: Person) -> Person:
    permission_require(actor, "people.change_household", doing=_("change households"))
    person = _person_lock(person)
    if person.household_id != household.pk:
        raise ValidationFailed(
            {
                "person": _("%(person)s is not a member of %(household)s")
                % {"person": person, "household": household}
            }
        )
    person.household = None
    person.save(update_fields=["household"])
    if household.head_id == person.pk:
        household.head = None
        household.save(update_fields=["head"])
    audit_record(
        actor=actor,
        action="household.member_remove",
        obj=household,
        summary=f"{person.full_name} left {household}",
        detail={"person": str(person.pk)},
    )
    return person


@transaction.atomic
def household_move(
    *,
    actor: Actor | None,
    household: Household,
    site: Site | None = None,
    area: str | None = None,
    shelter: str | None = None,
    note: str = "",
) -> Household:
    """Move a household to another shelter, area or site. Every member gets a status event at
    the new place (`transferred` when the site changes), so their history shows the move."""
    permission_require(actor, "people.change_household", doing=_("move households"))
    household = Household.objects.select_for_update().get(pk=household.pk)
    if site is None and area is None and shelter is None:
        raise ValidationFailed({"site": _("give a new site, area or shelter")})
    new_site = site or household.site
    changed = []
    for name, value in (("site", new_site), ("area", area), ("shelter", shelter)):
        if value is not None and getattr(household, name) != value:
            setattr(household, name, value)
            changed.append(name)
    if not changed:
        return household
    household.save(update_fields=changed)
    site_changed = "site" in changed
    now = timezone.now()
    members = Person.objects.alive().filter(household=household).select_related("current_site")
    for member in members.exclude(status__in=[Status.DECEASED, Status.MISSING]):
        StatusEvent(
            person=member,
            status=Status.TRANSFERRED if site_changed else member.status,
            site=household.site,
            area=household.area,
            occurred_at=now,
            recorded_by=actor_user(actor),
            note=note
            or f"household moved to {household.shelter or household.area or household.site}",
        ).save()
        person_state_refresh(member)
    audit_record(
        actor=actor,
        action="household.move",
        obj=household,
        summary=str(household),
        detail={"fields": changed, "members": members.count()},
    )
    return household
