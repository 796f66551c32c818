"""Reads of the registry, with the caller's role applied. Reading a protected part of a record
(a person's location, medical or protection conditions) writes an audit row."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Coalesce, FirstValue, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import Forbidden, NotFound, ValidationFailed
from lifeline.core.ids import id_parse
from lifeline.core.models import Site
from lifeline.core.services import Actor, audit_record, permission_require
from lifeline.people import rules
from lifeline.people.models import (
    MEDICAL_CONDITIONS,
    PROTECTION_CONDITIONS,
    Condition,
    ConditionObservation,
    Household,
    Person,
    PersonMerge,
    Status,
    StatusEvent,
)
from lifeline.people.services import person_record_ids


def conditions_visible(actor: Actor | None) -> frozenset[str]:
    """The conditions this actor's role may see."""
    if actor is None or not actor.is_authenticated:
        return frozenset()
    visible: set[str] = set()
    if actor.has_perm("people.view_medical"):
        visible |= MEDICAL_CONDITIONS
    if actor.has_perm("people.view_protection"):
        visible |= PROTECTION_CONDITIONS
    return frozenset(visible)


# Free text (a person's notes, a status event's note) is written by registrars, medics and
# protection officers about what they see, and may name what a role may not know ("admitted to
# care", a child's protection situation): only the roles that write or may know it read it.
NOTES_READERS = ("people.change_person", "people.view_medical", "people.view_protection")


def can_see_notes(actor: Actor | None) -> bool:
    return (
        actor is not None
        and actor.is_authenticated
        and any(actor.has_perm(perm) for perm in NOTES_READERS)
    )


def can_see_location(actor: Actor | None) -> bool:
    return actor is not None and actor.is_authenticated and actor.has_perm("people.view_location")


def person_get(*, actor: Actor | None, person_id: Any) -> Person:
    permission_require(actor, "people.view_person", doing=_("see people"))
    pk = id_parse(person_id, "person")
    person = Person.objects.select_related("household", "current_site").filter(pk=pk).first()
    if person is None:
        raise NotFound(_("no person with id %(pk)s") % {"pk": pk})
    if person.is_deleted:
        if person.merged_into_id:
            raise NotFound(
                _("person %(pk)s was merged into %(merged_into_id)s")
                % {"pk": pk, "merged_into_id": person.merged_into_id}
            )
        raise NotFound(_("person %(pk)s was deleted") % {"pk": pk})
    return person


def _condition_present_ids(condition: str) -> QuerySet[Any, dict[str, Any]]:
    """Ids of the persons whose latest observation of `condition`, over their own and their
    merged records, says present.

    One uncorrelated query over the observations of that condition (ranked per owner, the
    survivor of a merge owning its merged records' observations), computed once per list. A
    correlated subquery per person had to find the merged records of each person, and with
    planner statistics SQLite chose to scan every person for it: seconds at 2,000 persons."""
    owner = Coalesce("person__merged_into_id", "person_id")
    latest_first = [F("observed_at").desc(), F("version").desc()]
    return (
        ConditionObservation.objects.alive()
        .filter(condition=condition)
        .annotate(
            owner=owner,
            rank=Window(RowNumber(), partition_by=[owner], order_by=latest_first),
            latest_present=Window(
                FirstValue("present"), partition_by=[owner], order_by=latest_first
            ),
        )
        .filter(rank=1, latest_present=True)
        .values("owner")
    )


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    status: str | None = None
    site: uuid.UUID | str | None = None
    age_band: str | None = None
    condition: str | None = None
    sex: str | None = None
    household: uuid.UUID | str | None = None
    # Only these persons: the hits of a spelling-robust name search (matching.lookup), which
    # the plain `q` (every word in some name) would not find.
    ids: tuple[str, ...] | None = None


def person_list(*, actor: Actor | None, filters: PersonFilters | None = None) -> QuerySet[Person]:
    permission_require(actor, "people.view_person", doing=_("see people"))
    f = filters or PersonFilters()
    qs = Person.objects.alive().select_related("current_site", "household")
    problems: dict[str, str] = {}
    if f.ids is not None:
        # The name was searched already, in any spelling: these are its hits.
        qs = qs.filter(pk__in=[id_parse(pk, "person") for pk in f.ids])
    else:
        for term in rules.search_terms(f.q):
            qs = qs.filter(search_text__contains=term)
    if f.status:
        if f.status not in Status.values:
            problems["status"] = _("must be one of %(join)s") % {"join": ", ".join(Status.values)}
        qs = qs.filter(status=f.status)
    if f.site:
        site = str(f.site)
        try:
            qs = qs.filter(current_site_id=uuid.UUID(site))
        except ValueError:
            qs = qs.filter(current_site__code=site)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.household:
        qs = qs.filter(household_id=id_parse(f.household, "household"))
    if f.age_band:
        try:
            band = rules.age_band(f.age_band)
        except KeyError:
            problems["age_band"] = _("must be one of %(join)s") % {
                "join": ", ".join(rules.AGE_BAND_CODES)
            }
        else:
            oldest_exclusive, youngest = rules.birth_date_range(band, timezone.localdate())
            qs = qs.filter(date_of_birth__lte=youngest)
            if oldest_exclusive is not None:
                qs = qs.filter(date_of_birth__gt=oldest_exclusive)
    if f.condition:
        if f.condition not in Condition.values:
            problems["condition"] = _("must be one of %(join)s") % {
                "join": ", ".join(Condition.values)
            }
        elif f.condition not in conditions_visible(actor):
            raise Forbidden(
                _("your role may not filter by the condition “%(condition)s”")
                % {"condition": f.condition}
            )
        else:
            qs = qs.filter(pk__in=_condition_present_ids(f.condition))
    if problems:
        raise ValidationFailed(problems)
    if f.condition:
        # Who has a condition is itself protected: a list filtered by one is a protected read.
        audit_record(
            actor=actor,
            action="read.protected",
            summary=f"people with the condition {f.condition}",
            detail={"parts": ["conditions"], "filter": {"condition": f.condition}},
        )
    return qs.order_by("family_name", "given_name", "id")


def person_find(*, actor: Actor | None, query: str, limit: int = 20) -> list[Person]:
    """Plain name search: every word of the query appears in some name (accents ignored)."""
    if not rules.search_terms(query):
        raise ValidationFailed({"q": _("give at least one name to search for")})
    return list(person_list(actor=actor, filters=PersonFilters(q=query))[:limit])


@dataclass
class ConditionNow:
    condition: str
    label: str
    since: dt.datetime


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # status | condition | merge | registered
    title: str
    detail: str = ""
    by: str = ""


@dataclass
class PersonRecord:
    """What the actor may see of one person, with the history as a timeline."""

    person: Person
    age: int | None
    location_visible: bool
    notes_visible: bool = False
    conditions: list[ConditionNow] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    merged_records: list[Person] = field(default_factory=list)
    merges: list[PersonMerge] = field(default_factory=list)


def _place(event: StatusEvent, with_location: bool) -> str:
    parts = [event.site.name if event.site else ""]
    if with_location:
        parts.append(event.area)
        if event.latitude is not None and event.longitude is not None:
            parts.append(f"{event.latitude:.5f}, {event.longitude:.5f}")
    return " · ".join(p for p in parts if p)


def person_record(*, actor: Actor | None, person_id: Any) -> PersonRecord:
    person = person_get(actor=actor, person_id=person_id)
    ids = person_record_ids(person)
    location = can_see_location(actor)
    visible = conditions_visible(actor)
    notes = can_see_notes(actor)
    events = list(
        StatusEvent.objects.alive()
        .filter(person_id__in=ids)
        .select_related("site", "recorded_by")
        .order_by("occurred_at", "version")
    )
    observations = list(
        ConditionObservation.objects.alive()
        .filter(person_id__in=ids, condition__in=visible)
        .select_related("observed_by")
        .order_by("observed_at", "version")
    )
    merges = list(
        PersonMerge.objects.filter(Q(survivor=person) | Q(duplicate=person)).select_related(
            "survivor", "duplicate", "merged_by"
        )
    )
    labels = dict(Condition.choices)
    status_labels = dict(Status.choices)
    timeline = [
        TimelineEntry(
            at=e.occurred_at,
            kind="status",
            title=str(status_labels.get(e.status, e.status)),
            detail=" — ".join(p for p in (_place(e, location), e.note if notes else "") if p),
            by=e.recorded_by.get_username() if e.recorded_by else "",
        )
        for e in events
    ]
    current: dict[str, ConditionNow] = {}
    for o in observations:
        label = labels.get(o.condition, o.condition)
        timeline.append(
            TimelineEntry(
                at=o.observed_at,
                kind="condition",
                title=f"{label}: {'observed' if o.present else 'resolved'}",
                detail=o.note,
                by=o.observed_by.get_username() if o.observed_by else "",
            )
        )
        if o.present:
            current[o.condition] = ConditionNow(o.condition, str(label), o.observed_at)
        else:
            current.pop(o.condition, None)
    for m in merges:
        title = (
            f"Merged with the record of {m.duplicate.full_name}"
            if m.survivor_id == person.pk
            else f"Split from {m.survivor.full_name}"
        )
        timeline.append(
            TimelineEntry(
                at=m.created_at,
                kind="merge",
                title=title + (" (undone)" if m.undone_at else ""),
                detail=m.reason,
                by=m.merged_by.get_username() if m.merged_by else "",
            )
        )
    timeline.sort(key=lambda entry: entry.at)
    protected = []
    if location:
        protected.append("location")
    if observations:
        protected.append("conditions")
    if protected:
        audit_record(
            actor=actor,
            action="read.protected",
            obj=person,
            summary=person.full_name,
            detail={"parts": protected},
        )
    age = rules.age_on(person.date_of_birth, timezone.localdate()) if person.date_of_birth else None
    return PersonRecord(
        person=person,
        age=age,
        location_visible=location,
        notes_visible=notes,
        conditions=sorted(current.values(), key=lambda c: c.label),
        timeline=timeline,
        merged_records=list(Person.objects.filter(merged_into=person)),
        merges=merges,
    )


def person_merge_get(*, actor: Actor | None, merge_id: Any) -> PersonMerge:
    permission_require(actor, "people.view_person", doing=_("see people"))
    pk = id_parse(merge_id, "merge")
    merge: PersonMerge | None = (
        PersonMerge.objects.alive()
        .select_related("survivor", "duplicate", "merged_by")
        .filter(pk=pk)
        .first()
    )
    if merge is None:
        raise NotFound(_("no merge with id %(pk)s") % {"pk": pk})
    return merge


def household_get(*, actor: Actor | None, household_id: Any) -> Household:
    """One household. Its shelter and area tell where people sleep: only roles that see
    locations may be shown them, and for those the read is written to the audit log."""
    permission_require(actor, "people.view_household", doing=_("see households"))
    pk = id_parse(household_id, "household")
    household = Household.objects.alive().select_related("head", "site").filter(pk=pk).first()
    if household is None:
        raise NotFound(_("no household with id %(pk)s") % {"pk": pk})
    _household_location_audit(actor, household)
    return household


def _household_location_audit(actor: Actor | None, household: Household) -> None:
    if can_see_location(actor) and (household.shelter or household.area):
        audit_record(
            actor=actor,
            action="read.protected",
            obj=household,
            summary=str(household),
            detail={"parts": ["location"]},
        )


def household_by_card(*, actor: Actor | None, ration_card: str) -> Household:
    permission_require(actor, "people.view_household", doing=_("see households"))
    household = (
        Household.objects.alive()
        .select_related("head", "site")
        .filter(ration_card=ration_card)
        .order_by("id")  # one card given at two sites while apart: the first registered
        .first()
    )
    if household is None:
        raise NotFound(
            _("no household with ration card “%(ration_card)s”") % {"ration_card": ration_card}
        )
    _household_location_audit(actor, household)
    return household


def ration_card_suggest(*, actor: Actor | None, site: Site) -> str:
    """The next free ration card number of a site's series (what the card form offers)."""
    permission_require(actor, "people.view_household", doing=_("see households"))
    cards = [
        card
        for card in Household.objects.filter(site=site, ration_card__isnull=False).values_list(
            "ration_card", flat=True
        )
        if card
    ]
    initials = "".join(word[0] for word in site.code.split("-") if word).upper() or "RC"
    suggestion = rules.ration_card_next(cards, f"{initials}-")
    while Household.objects.filter(ration_card=suggestion).exists():
        # another site's households may hold it already: cards are unique everywhere
        suggestion = rules.ration_card_next([suggestion], "")
    return suggestion


@dataclass(frozen=True)
class HouseholdSize:
    household_id: uuid.UUID
    persons: int  # members whose status is one of those asked for


# At most one row: the household holding a ration card and how many of its members have one
# of the given statuses.
_HOUSEHOLD_SIZE = (
    "SELECT h.id AS household_id, (SELECT COUNT(*) FROM people_person p"
    " WHERE p.household_id = h.id AND p.deleted_at IS NULL AND p.status IN ({statuses}))"
    " AS persons FROM people_household h WHERE h.ration_card = %s AND h.deleted_at IS NULL"
    # Two sites may have given one card while apart (an alert asks for one to be re-carded):
    # the same household everywhere until then, the first registered.
    " ORDER BY h.id LIMIT 1"
)


@dataclass(frozen=True)
class HouseholdSizeQuery:
    """`household_size_query` as SQL with its parameters, for a caller that reads it in the
    same statement as rows of its own, as a subquery: columns `household_id` and `persons`,
    at most one row. `result` reads them back (None when no household holds the card)."""

    sql: str
    params: tuple[Any, ...]

    @staticmethod
    def result(household_id: Any, persons: Any) -> HouseholdSize | None:
        if household_id is None:
            return None
        return HouseholdSize(Household._meta.pk.to_python(household_id), int(persons))


def household_size_query(*, ration_card: str, statuses: Sequence[str]) -> HouseholdSizeQuery:
    """The household holding a ration card and the count of its members in `statuses`, as a
    statement to embed: supplies' ration issue reads it with the cycle's state in its one
    read before the write (a hot path that counts statements). No role check and nothing
    protected in it: the caller has checked its own permission."""
    sql = _HOUSEHOLD_SIZE.format(statuses=", ".join(["%s"] * len(statuses)))
    return HouseholdSizeQuery(sql=sql, params=(*statuses, ration_card))


def household_members(*, actor: Actor | None, household: Household) -> QuerySet[Person]:
    permission_require(actor, "people.view_person", doing=_("see people"))
    return (
        Person.objects.alive()
        .filter(household=household)
        .select_related("current_site")
        .order_by("date_of_birth")
    )


def household_list(
    *, actor: Actor | None, q: str = "", site: str | None = None
) -> QuerySet[Household]:
    permission_require(actor, "people.view_household", doing=_("see households"))
    qs = Household.objects.alive().select_related("head", "site")
    if q:
        # Searching by shelter would tell a role that may not see it where people sleep.
        by_shelter = Q(shelter__icontains=q) if can_see_location(actor) else Q(pk__in=[])
        qs = qs.filter(Q(ration_card__icontains=q) | by_shelter)
    if site:
        qs = qs.filter(Q(site__code=site) | Q(site__id__in=_site_ids(site)))
    return qs.order_by("ration_card", "id")


def _site_ids(value: str) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(value)]
    except ValueError:
        return []


def status_counts(*, actor: Actor | None, site: str | None = None) -> dict[str, int]:
    from django.db.models import Count

    qs = person_list(actor=actor, filters=PersonFilters(site=site))
    rows = qs.order_by().values("status").annotate(n=Count("id"))
    counts = {s: 0 for s in Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def arrivals_count(*, actor: Actor | None, site: str | None, since: dt.datetime) -> int:
    """How many persons registered at the site (by code, as status_counts takes it) since a
    moment: the day's arrivals on the home page."""
    qs = person_list(actor=actor, filters=PersonFilters(site=site))
    return qs.filter(created_at__gte=since).count()


def arrivals_per_day(
    *, actor: Actor | None, site: str | None, days: int = 14, today: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """Persons of the site by the day they arrived (their first status, which registration
    writes when they came), for the `days` days ending today, oldest first."""
    from collections import Counter

    from django.db.models import Min

    if not 1 <= days <= 366:
        raise ValidationFailed({"days": _("must be between 1 and 366")})
    today = today or timezone.localdate()
    first_day = today - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    people = person_list(actor=actor, filters=PersonFilters(site=site)).order_by()
    firsts = (
        StatusEvent.objects.alive()
        .filter(person__in=people.values("pk"))
        .values("person_id")
        .annotate(first=Min("occurred_at"))
        .filter(first__gte=start)
        .values_list("first", flat=True)
    )
    counts = Counter(timezone.localdate(moment) for moment in firsts)
    return [
        (first_day + dt.timedelta(days=i), counts.get(first_day + dt.timedelta(days=i), 0))
        for i in range(days)
    ]
