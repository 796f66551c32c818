"""Writes of facilities and the watch: register a facility, assess its damage (with photos),
raise, start and close repair work (drawing materials from the store's ledger), plan and
change shifts, and the sweep that flags the roster's gaps before they happen. Each write is
one transaction that checks the actor's role, validates, writes and audits."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Hashable, Iterable, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from lifeline.alerts.models import Alert
from lifeline.alerts.models import Severity as AlertSeverity
from lifeline.alerts.selectors import alerts_open_by_key_prefix
from lifeline.alerts.services import alert_raise, alert_resolve_by_system
from lifeline.core.clock import site_local
from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import Site
from lifeline.core.services import Actor, actor_user, audit_record, permission_require
from lifeline.facilities import roster
from lifeline.facilities.models import (
    DEFAULT_UNIT,
    DamageAssessment,
    Facility,
    FacilityKind,
    FacilityPhoto,
    FacilityState,
    Severity,
    Shift,
    WorkMaterial,
    WorkOrder,
    WorkPriority,
    WorkStatus,
)
from lifeline.facilities.settings import roster_limits
from lifeline.intel.models import WatchPost
from lifeline.people.models import Person
from lifeline.people.rules import coordinates_problems
from lifeline.supplies.models import Item, Location
from lifeline.supplies.services.ledger import stock_issue

GAP_KIND = "facilities.watch_gap"
ROSTER_KIND = "facilities.roster_rule"
UNSAFE_KIND = "facilities.unsafe"
# The unsafe alert's title by the damage assessed, kept as a msgid and the facility's name so
# that each reader sees it in their own language.
_UNSAFE_TITLES = {
    Severity.NONE: gettext_lazy("%(facility)s: not safe to use"),
    Severity.LIGHT: gettext_lazy("%(facility)s: light damage, not safe to use"),
    Severity.MODERATE: gettext_lazy("%(facility)s: moderate damage, not safe to use"),
    Severity.HEAVY: gettext_lazy("%(facility)s: heavy damage, not usable until repaired"),
    Severity.DESTROYED: gettext_lazy("%(facility)s: destroyed"),
}
# Photos are kept at a size a phone shows well and a USB stick carries: longest side, JPEG.
PHOTO_MAX_SIDE = 1600
PHOTO_MAX_BYTES = 15 * 1024 * 1024
# How far ahead the sweep looks for an uncovered post.
LOOKAHEAD = dt.timedelta(hours=24)


# ---- facilities ----


@transaction.atomic
def facility_register(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    latitude: float | None = None,
    longitude: float | None = None,
    capacity: int | None = None,
    capacity_unit: str | None = None,
    notes: str = "",
    site: Site | None = None,
) -> Facility:
    """A building or work of this camp (or of another site, for a headquarters that keeps
    a camp's register, or a demo)."""
    permission_require(actor, "facilities.add_facility", doing=_("register facilities"))
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = [_("give the facility a name")]
    if kind not in FacilityKind.values:
        problems["kind"] = [_("unknown kind %(kind)s") % {"kind": repr(kind)}]
    if (latitude is None) != (longitude is None):
        problems["latitude"] = [_("give both latitude and longitude, or neither")]
    elif latitude is not None and longitude is not None:
        problems.update(
            {name: [message] for name, message in coordinates_problems(latitude, longitude).items()}
        )
    if capacity is not None and capacity < 0:
        problems["capacity"] = [_("a capacity is zero or more")]
    site = site or site_local()
    if Facility.objects.alive().filter(site=site, name__iexact=name.strip()).exists():
        problems["name"] = [
            _("a facility named %(name)s is already registered here") % {"name": repr(name.strip())}
        ]
    if problems:
        raise ValidationFailed(problems)
    facility = Facility(
        site=site,
        name=name.strip(),
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        capacity=capacity,
        capacity_unit=capacity_unit if capacity_unit is not None else DEFAULT_UNIT.get(kind, ""),
        notes=notes,
    )
    facility.save()
    audit_record(actor=actor, action="facility.register", obj=facility, summary=facility.name)
    return facility


def _state_of(facility: Facility) -> tuple[str, int]:
    """The facility's state and capacity lost from its rows: the latest event decides. An
    assessment says how it stands; work started puts it under repair; work done makes it
    work again (with nothing lost) unless an assessment came after."""
    events: list[tuple[dt.datetime, str, str, int]] = []
    for a in DamageAssessment.objects.alive().filter(facility=facility):
        state: str
        if a.severity >= Severity.DESTROYED:
            state = FacilityState.DESTROYED
        elif not a.safe_to_use:
            state = FacilityState.UNSAFE
        elif a.severity > Severity.NONE:
            state = FacilityState.DAMAGED
        else:
            state = FacilityState.WORKING
        lost = a.capacity_lost if state != FacilityState.DESTROYED else facility.capacity or 0
        if state in {FacilityState.UNSAFE} and facility.capacity:
            lost = facility.capacity  # nobody may use it: all of it is lost for now
        events.append((a.assessed_at, a.version, state, lost))
    last_lost = 0
    for w in WorkOrder.objects.alive().filter(facility=facility):
        if w.started_at is not None:
            events.append((w.started_at, w.version, FacilityState.UNDER_REPAIR, -1))
        if w.status == WorkStatus.DONE and w.closed_at is not None and w.assessment_id:
            events.append((w.closed_at, w.version, FacilityState.WORKING, 0))
    state = FacilityState.WORKING.value
    lost = 0
    for _at, _version, event_state, event_lost in sorted(events):
        state = event_state
        if event_lost >= 0:
            lost = event_lost
            last_lost = lost
        else:
            lost = last_lost  # under repair: still lost until the work is done
    return state, min(lost, facility.capacity or lost)


def facility_state_refresh(facility: Facility) -> Facility:
    state, lost = _state_of(facility)
    if (facility.state, facility.capacity_lost) != (state, lost):
        facility.state, facility.capacity_lost = state, lost
        facility.save(update_fields=["state", "capacity_lost"])
    return facility


def facilities_refresh(ids: Set[UUID]) -> None:
    """Apply hook: rows that change a facility's state arrived from another site."""
    for facility in Facility.objects.filter(pk__in=ids):
        facility_state_refresh(facility)


def facilities_of_rows_refresh(model: type[Any]) -> Any:
    def hook(ids: Set[UUID]) -> None:
        facility_ids = set(model.objects.filter(pk__in=ids).values_list("facility_id", flat=True))
        facilities_refresh(facility_ids)

    return hook


def _photo_store(
    *,
    actor: Actor | None,
    facility: Facility,
    upload: UploadedFile,
    assessment: DamageAssessment | None = None,
    work_order: WorkOrder | None = None,
) -> FacilityPhoto:
    """Keep a phone's photo: checked to be an image, turned upright, resized, EXIF (and the
    position it may carry) dropped."""
    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise ValidationFailed(
            {"photo": [_("%(file)s: larger than 15 MB") % {"file": upload.name}]}
        )
    try:
        with Image.open(upload) as source:
            source.load()
            image = ImageOps.exif_transpose(source).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationFailed(
            {"photo": [_("%(file)s: not a photo (JPEG, PNG, WebP)") % {"file": upload.name}]}
        ) from exc
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)
    photo = FacilityPhoto(
        facility=facility,
        assessment=assessment,
        work_order=work_order,
        taken_by=actor_user(actor),
    )
    photo.image.save(f"{photo.id}.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    return photo


@transaction.atomic
def damage_assess(
    *,
    actor: Actor | None,
    facility: Facility,
    severity: int,
    safe_to_use: bool,
    damage: str,
    capacity_lost: int = 0,
    photos: Sequence[UploadedFile] = (),
    assessed_at: dt.datetime | None = None,
) -> DamageAssessment:
    """Record how a facility stands after an event; its state and the camp's picture follow."""
    permission_require(actor, "facilities.add_damageassessment", doing=_("assess damage"))
    problems: dict[str, list[str]] = {}
    if severity not in Severity.values:
        problems["severity"] = [_("choose a step of the damage scale (0 to 4)")]
    if severity > Severity.NONE and not damage.strip():
        problems["damage"] = [_("say what is damaged")]
    if capacity_lost < 0:
        problems["capacity_lost"] = [_("zero or more")]
    elif facility.capacity is not None and capacity_lost > facility.capacity:
        problems["capacity_lost"] = [
            _("more than the facility's capacity (%(capacity)s %(unit)s)")
            % {"capacity": facility.capacity, "unit": facility.get_capacity_unit_display()}
        ]
    now = timezone.now()
    if assessed_at is not None and assessed_at > now + dt.timedelta(minutes=10):
        problems["assessed_at"] = [_("in the future")]
    if severity == Severity.DESTROYED and safe_to_use:
        problems["safe_to_use"] = [_("a destroyed facility is not safe to use")]
    if problems:
        raise ValidationFailed(problems)
    assessment = DamageAssessment(
        facility=facility,
        assessed_at=assessed_at or now,
        severity=severity,
        safe_to_use=safe_to_use,
        damage=damage.strip(),
        capacity_lost=capacity_lost,
        assessed_by=actor_user(actor),
    )
    assessment.save()
    for upload in photos:
        _photo_store(actor=actor, facility=facility, upload=upload, assessment=assessment)
    facility_state_refresh(facility)
    key = f"facility:{facility.pk}"
    if not safe_to_use or severity >= Severity.HEAVY:
        alert_raise(
            kind=UNSAFE_KIND,
            key=key,
            title=_UNSAFE_TITLES[Severity(severity)],
            params={"facility": facility.name},
            severity=AlertSeverity.CRITICAL
            if facility.kind in {FacilityKind.WALL, FacilityKind.GATE, FacilityKind.WATER_POINT}
            else AlertSeverity.WARNING,
            detail=assessment.damage,
            subject=facility,
        )
    audit_record(
        actor=actor,
        action="facility.assess",
        obj=assessment,
        summary=f"{facility.name}: {assessment.get_severity_display()}",
        detail={"photos": len(photos)},
    )
    return assessment


# ---- repair work ----


@transaction.atomic
def work_order_raise(
    *,
    actor: Actor | None,
    facility: Facility,
    title: str,
    priority: str = WorkPriority.NORMAL,
    assessment: DamageAssessment | None = None,
    assigned_to: Any = None,
) -> WorkOrder:
    permission_require(actor, "facilities.add_workorder", doing=_("raise repair work"))
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = [_("say what is to be done")]
    if priority not in WorkPriority.values:
        problems["priority"] = [_("unknown priority %(priority)s") % {"priority": repr(priority)}]
    if assessment is not None and assessment.facility_id != facility.pk:
        problems["assessment"] = [_("that assessment is of another facility")]
    if problems:
        raise ValidationFailed(problems)
    order = WorkOrder(
        facility=facility,
        assessment=assessment,
        title=title.strip(),
        priority=priority,
        assigned_to=assigned_to,
        opened_by=actor_user(actor),
    )
    order.save()
    audit_record(actor=actor, action="facility.work_raise", obj=order, summary=order.title)
    return order


def _order_locked(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().select_related("facility").get(pk=order.pk)


@transaction.atomic
def work_order_start(*, actor: Actor | None, order: WorkOrder) -> WorkOrder:
    permission_require(actor, "facilities.change_workorder", doing=_("start repair work"))
    order = _order_locked(order)
    if order.status != WorkStatus.OPEN:
        raise Conflict(
            _("this work is %(status)s, not open") % {"status": order.get_status_display().lower()}
        )
    order.status = WorkStatus.IN_PROGRESS
    order.started_at = timezone.now()
    order.save(update_fields=["status", "started_at"])
    facility_state_refresh(order.facility)
    audit_record(actor=actor, action="facility.work_start", obj=order, summary=order.title)
    return order


@transaction.atomic
def work_material_draw(
    *,
    actor: Actor | None,
    order: WorkOrder,
    item: Item,
    location: Location,
    quantity: Decimal,
) -> WorkMaterial:
    """Draw material for the work from the store: the ledger's issue (earliest expiry first),
    and a line on the work order."""
    permission_require(actor, "facilities.change_workorder", doing=_("draw material for repairs"))
    order = _order_locked(order)
    if order.status in {WorkStatus.DONE, WorkStatus.CANCELLED}:
        raise Conflict(_("this work is closed"))
    stock_issue(
        actor=actor,
        location=location,
        item=item,
        quantity=quantity,
        note=f"repair: {order.title} ({order.facility.name})",
    )
    line = WorkMaterial(work_order=order, item=item, location=location, quantity=quantity)
    line.save()
    audit_record(
        actor=actor,
        action="facility.work_material",
        obj=line,
        summary=f"{quantity} {item.unit} of {item.name} for {order.title}",
    )
    return line


@transaction.atomic
def work_order_close(
    *,
    actor: Actor | None,
    order: WorkOrder,
    note: str,
    done: bool = True,
    photos: Sequence[UploadedFile] = (),
) -> WorkOrder:
    """Done (the facility works again, if the work was the repair of an assessment) or
    cancelled, with a note saying what was done or why not."""
    permission_require(actor, "facilities.change_workorder", doing=_("close repair work"))
    order = _order_locked(order)
    if order.status in {WorkStatus.DONE, WorkStatus.CANCELLED}:
        raise Conflict(
            _("this work is already done")
            if order.status == WorkStatus.DONE
            else _("this work is already cancelled")
        )
    if not note.strip():
        raise ValidationFailed(
            {"note": [_("say what was done") if done else _("say why it is cancelled")]}
        )
    now = timezone.now()
    order.status = WorkStatus.DONE if done else WorkStatus.CANCELLED
    order.closed_at = now
    order.closed_by = actor_user(actor)
    order.close_note = note.strip()
    if order.started_at is None and done:
        order.started_at = now
    order.save(update_fields=["status", "closed_at", "closed_by", "close_note", "started_at"])
    for upload in photos:
        _photo_store(actor=actor, facility=order.facility, upload=upload, work_order=order)
    facility = facility_state_refresh(order.facility)
    if facility.state == FacilityState.WORKING:
        for alert in alerts_open_by_key_prefix(
            kind=UNSAFE_KIND, key_prefix=f"facility:{facility.pk}"
        ):
            alert_resolve_by_system(alert=alert, resolution=f"repaired: {order.close_note}")
    audit_record(
        actor=actor,
        action="facility.work_done" if done else "facility.work_cancel",
        obj=order,
        summary=order.title,
    )
    return order


# ---- the watch roster ----


def slot_of(shift: Shift) -> roster.ShiftSlot:
    return roster.ShiftSlot(
        key=shift.pk,
        post=shift.post_id,
        watcher=shift.watcher_key,
        start=shift.starts_at,
        end=shift.ends_at,
    )


@dataclass(frozen=True)
class RosterCheck:
    """What the roster rules say about a span of the roster."""

    gaps: list[roster.Gap]
    clashes: list[roster.Clash]
    short_rests: list[roster.ShortRest]
    long_days: list[roster.LongDay]

    @property
    def problems(self) -> int:
        return len(self.gaps) + len(self.clashes) + len(self.short_rests) + len(self.long_days)


def roster_check(start: dt.datetime, end: dt.datetime) -> RosterCheck:
    """The rules over [start, end) of this site's posts (shifts a day either side are read so
    that rest and hours across the edges count)."""
    limits = roster_limits()
    margin = dt.timedelta(hours=24)
    posts = list(WatchPost.objects.alive().filter(site=site_local()).values_list("pk", flat=True))
    rows = Shift.objects.alive().filter(
        post_id__in=posts, starts_at__lt=end + margin, ends_at__gt=start - margin
    )
    slots = [slot_of(s) for s in rows]
    inside = [s for s in slots if s.start < end and s.end > start]
    return RosterCheck(
        gaps=roster.coverage_gaps(slots, posts, start, end),
        clashes=roster.clashes(inside),
        short_rests=[
            r
            for r in roster.short_rests(slots, limits.minimum_rest)
            if any(s.key == r.after for s in inside)
        ],
        long_days=roster.long_days(inside, limits.maximum_hours),
    )


def _shift_problems(
    post: WatchPost | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    person: Person | None,
    user: Any = None,
    exclude: UUID | None = None,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if post is None:
        problems["post"] = [_("choose a watch post")]
    if starts_at is None:
        problems["starts_at"] = [_("say when the shift starts")]
    if ends_at is None:
        problems["ends_at"] = [_("say when the shift ends")]
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            problems["ends_at"] = [_("the shift ends after it starts")]
        elif ends_at - starts_at > dt.timedelta(hours=24):
            problems["ends_at"] = [_("a shift lasts at most 24 hours")]
    if person is not None and person.deleted_at is not None:
        problems["person"] = [_("that person's record was removed")]
    if problems or starts_at is None or ends_at is None:
        return problems
    overlapping = Shift.objects.alive().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    for field, who, name in (
        ("person", person, person.full_name if person is not None else ""),
        ("user", user, (user.get_full_name() or user.get_username()) if user else ""),
    ):
        if who is None:
            continue
        other = overlapping.filter(**{field: who}).select_related("post").first()
        if other is not None:
            problems[field] = [
                _("%(name)s already stands %(post)s from %(start)s to %(end)s")
                % {
                    "name": name,
                    "post": other.post.name,
                    "start": f"{timezone.localtime(other.starts_at):%Y-%m-%d %H:%M}",
                    "end": f"{timezone.localtime(other.ends_at):%H:%M}",
                }
            ]
    return problems


@transaction.atomic
def shift_plan(
    *,
    actor: Actor | None,
    post: WatchPost,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    person: Person | None = None,
    user: Any = None,
) -> Shift:
    """A shift on the roster. Nobody on two posts at once is refused here; too little rest
    and long days are allowed (a short-handed camp may need them) but flagged by the check."""
    permission_require(actor, "facilities.plan_shift", doing=_("plan the watch"))
    problems = _shift_problems(post, starts_at, ends_at, person, user)
    if problems:
        raise ValidationFailed(problems)
    shift = Shift(
        post=post,
        starts_at=starts_at,
        ends_at=ends_at,
        person=person,
        user=user,
        planned_by=actor_user(actor),
    )
    shift.save()
    audit_record(actor=actor, action="watch.plan", obj=shift, summary=str(shift))
    return shift


@transaction.atomic
def shift_assign(
    *, actor: Actor | None, shift: Shift, person: Person | None, user: Any = None
) -> Shift:
    permission_require(actor, "facilities.plan_shift", doing=_("change the watch"))
    shift = Shift.objects.select_for_update().select_related("post").get(pk=shift.pk)
    problems = _shift_problems(
        shift.post, shift.starts_at, shift.ends_at, person, user, exclude=shift.pk
    )
    if problems:
        raise ValidationFailed(problems)
    shift.person, shift.user = person, user
    shift.save(update_fields=["person", "user"])
    audit_record(actor=actor, action="watch.assign", obj=shift, summary=str(shift))
    return shift


@transaction.atomic
def shift_cancel(*, actor: Actor | None, shift: Shift) -> None:
    permission_require(actor, "facilities.plan_shift", doing=_("change the watch"))
    shift.delete()
    audit_record(actor=actor, action="watch.cancel", obj=shift, summary=str(shift))


@transaction.atomic
def shift_handover(*, actor: Actor | None, shift: Shift, note: str) -> Shift:
    """The watcher's note for the next one (or the commander's)."""
    mine = actor is not None and actor.is_authenticated and shift.user_id == actor.pk
    if not mine and not (actor is not None and actor.has_perm("facilities.plan_shift")):
        raise Forbidden(
            _("only the one who stands this shift, or the commander, writes its hand-over")
        )
    if not note.strip():
        raise ValidationFailed({"note": [_("write what the next watch must know")]})
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    shift.handover_note = note.strip()
    shift.save(update_fields=["handover_note"])
    audit_record(actor=actor, action="watch.handover", obj=shift, summary=str(shift))
    return shift


def roster_sweep() -> list[Alert]:
    """The worker's look ahead: an alert for every post left uncovered in the next 24 hours,
    and for watchers on two posts at once or with too little rest; resolved when fixed."""
    now = timezone.now()
    check = roster_check(now, now + LOOKAHEAD)
    raised: list[Alert] = []
    wanted: set[str] = set()
    posts: dict[Hashable, str] = {
        p.pk: p.name for p in WatchPost.objects.alive().filter(site=site_local())
    }
    for gap in check.gaps:
        if gap.length < dt.timedelta(minutes=15):
            continue  # a hand-over a few minutes late is not a hole in the watch
        # A post uncovered now keeps one alert while it stays so; a hole later tonight is
        # named by when it opens.
        when = "now" if gap.start <= now else f"{gap.start:%Y%m%d%H%M}"
        key = f"post:{gap.post}:{when}"
        wanted.add(key)
        start = timezone.localtime(gap.start)
        raised.append(
            alert_raise(
                kind=GAP_KIND,
                key=key,
                title=gettext_lazy("%(post)s uncovered from %(start)s"),
                severity=AlertSeverity.CRITICAL
                if gap.start - now < dt.timedelta(hours=6)
                else AlertSeverity.WARNING,
                detail=gettext_lazy("nobody on watch until %(end)s"),
                # Times as numbers (day/month hour:minute): the same in every language.
                params={
                    "post": posts.get(gap.post, "?"),
                    "start": f"{start:%d/%m %H:%M}",
                    "end": f"{timezone.localtime(gap.end):%d/%m %H:%M}",
                },
            )
        )
    rule_rows: Iterable[tuple[str, Promise, dict[str, object]]] = [
        (f"clash:{c.first}:{c.second}", gettext_lazy("someone is on two shifts at once"), {})
        for c in check.clashes
    ] + [
        (
            f"rest:{r.before}:{r.after}",
            gettext_lazy("only %(hours)s h of rest"),
            {"hours": f"{r.rest.total_seconds() / 3600:.1f}"},
        )
        for r in check.short_rests
    ]
    for key, title, params in rule_rows:
        wanted.add(key)
        raised.append(alert_raise(kind=ROSTER_KIND, key=key, title=title, params=params))
    for kind in (GAP_KIND, ROSTER_KIND):
        for alert in alerts_open_by_key_prefix(kind=kind, key_prefix=""):
            if alert.key not in wanted:
                alert_resolve_by_system(alert=alert, resolution="the roster now covers it")
    return raised
