"""Facilities, damage, repairs and the watch through their services: rules, roles, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from lifeline.alerts.models import Alert
from lifeline.core.errors import Conflict, Forbidden, ValidationFailed
from lifeline.core.models import AuditEntry
from lifeline.facilities import selectors, services
from lifeline.facilities.models import (
    DamageAssessment,
    Facility,
    FacilityPhoto,
    FacilityState,
    Shift,
    WorkStatus,
)
from lifeline.facilities.tests.conftest import photo_upload
from lifeline.intel.models import WatchPost
from lifeline.intel.threats.services import perimeter_log
from lifeline.people.services import person_register
from lifeline.supplies.models import Item, Location
from lifeline.supplies.selectors import on_hand_total
from lifeline.supplies.services.ledger import stock_receive

pytestmark = pytest.mark.django_db


def test_a_facility_needs_a_name_a_known_kind_and_both_coordinates(commander: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.facility_register(actor=commander, name=" ", kind="castle", latitude=31.0)
    assert set(caught.value.fields) == {"name", "kind", "latitude"}
    assert not Facility.objects.exists()


def test_the_unit_of_capacity_follows_the_kind(commander: Any) -> None:
    well = services.facility_register(actor=commander, name="Well 1", kind="well", capacity=4000)
    assert well.capacity_unit == "litres_per_day"


def test_a_viewer_sees_facilities_but_may_not_register_or_assess(
    viewer: Any, shelter: Facility
) -> None:
    assert selectors.facility_list(actor=viewer) == [shelter]
    with pytest.raises(Forbidden):
        services.facility_register(actor=viewer, name="X", kind="store")
    with pytest.raises(Forbidden):
        services.damage_assess(
            actor=viewer, facility=shelter, severity=2, safe_to_use=True, damage="roof"
        )


def test_an_assessment_with_a_photo_changes_the_picture_at_once(
    field_team: Any, commander: Any, shelter: Facility
) -> None:
    assessment = services.damage_assess(
        actor=field_team,
        facility=shelter,
        severity=2,
        safe_to_use=True,
        damage="east wall cracked, roof sheets torn",
        capacity_lost=15,
        photos=[photo_upload()],
    )
    shelter.refresh_from_db()
    assert shelter.state == FacilityState.DAMAGED
    assert shelter.capacity_lost == 15 and shelter.capacity_usable == 25
    picture = selectors.facilities_picture(actor=commander)
    assert picture.shelter_places_lost == 15 and picture.shelter_places == 40
    assert picture.not_working == [shelter]

    photo = FacilityPhoto.objects.get(assessment=assessment)
    with Image.open(photo.image.path) as kept:
        assert max(kept.size) == services.PHOTO_MAX_SIDE
        assert not kept.getexif(), "EXIF (and the position in it) is dropped"
    assert AuditEntry.objects.filter(
        action="facility.assess", object_id=str(assessment.pk)
    ).exists()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(
    field_team: Any, shelter: Facility
) -> None:
    bad = SimpleUploadedFile("roof.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationFailed, match="not a photo"):
        services.damage_assess(
            actor=field_team,
            facility=shelter,
            severity=3,
            safe_to_use=False,
            damage="roof",
            photos=[bad],
        )
    assert not DamageAssessment.objects.exists()
    assert not Alert.objects.exists()


def test_the_damage_scale_is_checked(field_team: Any, shelter: Facility) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.damage_assess(
            actor=field_team,
            facility=shelter,
            severity=4,
            safe_to_use=True,
            damage="",
            capacity_lost=41,
        )
    assert set(caught.value.fields) == {"damage", "capacity_lost", "safe_to_use"}
    with pytest.raises(ValidationFailed, match="0 to 4"):
        services.damage_assess(
            actor=field_team, facility=shelter, severity=7, safe_to_use=True, damage="x"
        )


def _stock(commander: Any) -> tuple[Item, Location]:
    from lifeline.supplies.tests.factories import item, location

    sheets, store = item(), location()
    stock_receive(actor=commander, location=store, item=sheets, quantity=Decimal("20"))
    return sheets, store


def test_a_repair_draws_from_the_store_and_brings_the_facility_back(
    commander: Any, logistics: Any, field_team: Any, shelter: Facility
) -> None:
    assessment = services.damage_assess(
        actor=field_team,
        facility=shelter,
        severity=3,
        safe_to_use=False,
        damage="roof gone",
        capacity_lost=40,
    )
    shelter.refresh_from_db()
    assert shelter.state == FacilityState.UNSAFE and shelter.capacity_usable == 0
    alert = Alert.objects.get(kind=services.UNSAFE_KIND)
    assert alert.resolved_at is None

    order = services.work_order_raise(
        actor=logistics,
        facility=shelter,
        title="New roof sheets",
        priority="urgent",
        assessment=assessment,
    )
    assert selectors.work_open_list(actor=field_team) == [order]
    services.work_order_start(actor=logistics, order=order)
    shelter.refresh_from_db()
    assert shelter.state == FacilityState.UNDER_REPAIR and shelter.capacity_lost == 40

    sheets, store = _stock(commander)
    services.work_material_draw(
        actor=logistics, order=order, item=sheets, location=store, quantity=Decimal("12")
    )
    assert on_hand_total(item=sheets) == Decimal("8")
    with pytest.raises(ValidationFailed):  # the ledger refuses more than there is
        services.work_material_draw(
            actor=logistics, order=order, item=sheets, location=store, quantity=Decimal("9")
        )

    with pytest.raises(ValidationFailed, match="say what was done"):
        services.work_order_close(actor=logistics, order=order, note=" ")
    services.work_order_close(
        actor=logistics, order=order, note="twelve sheets fixed", photos=[photo_upload("done.jpg")]
    )
    order.refresh_from_db()
    shelter.refresh_from_db()
    assert order.status == WorkStatus.DONE
    assert shelter.state == FacilityState.WORKING and shelter.capacity_lost == 0
    alert.refresh_from_db()
    assert alert.resolved_at is not None and "twelve sheets" in alert.resolution
    assert FacilityPhoto.objects.filter(work_order=order).count() == 1
    with pytest.raises(Conflict):
        services.work_order_close(actor=logistics, order=order, note="again")
    assert selectors.work_open_list(actor=field_team) == []


def test_a_later_assessment_outranks_an_earlier_repair(
    logistics: Any, field_team: Any, shelter: Facility
) -> None:
    first = services.damage_assess(
        actor=field_team, facility=shelter, severity=2, safe_to_use=True, damage="door"
    )
    order = services.work_order_raise(
        actor=logistics, facility=shelter, title="Door", assessment=first
    )
    services.work_order_close(actor=logistics, order=order, note="new door")
    services.damage_assess(
        actor=field_team, facility=shelter, severity=4, safe_to_use=False, damage="burnt down"
    )
    shelter.refresh_from_db()
    assert shelter.state == FacilityState.DESTROYED and shelter.capacity_lost == 40


def _at(hours: float) -> dt.datetime:
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    return base + dt.timedelta(hours=hours)


def test_nobody_stands_two_posts_at_once(commander: Any, posts: list[WatchPost]) -> None:
    amir = person_register(actor=commander, given_name="Amir", family_name="Haddad")
    services.shift_plan(
        actor=commander, post=posts[0], starts_at=_at(0), ends_at=_at(6), person=amir
    )
    with pytest.raises(ValidationFailed, match="already stands North gate"):
        services.shift_plan(
            actor=commander, post=posts[1], starts_at=_at(5), ends_at=_at(8), person=amir
        )
    with pytest.raises(ValidationFailed, match="ends after it starts"):
        services.shift_plan(actor=commander, post=posts[1], starts_at=_at(5), ends_at=_at(5))


def test_only_the_commander_plans_the_watch(
    logistics: Any, field_team: Any, posts: list[WatchPost]
) -> None:
    for actor in (logistics, field_team):
        with pytest.raises(Forbidden):
            services.shift_plan(actor=actor, post=posts[0], starts_at=_at(0), ends_at=_at(6))
    with pytest.raises(Forbidden):
        selectors.roster_view(actor=logistics, start=_at(0))


def test_the_sweep_flags_an_uncovered_post_tonight_and_closes_it_once_covered(
    commander: Any, posts: list[WatchPost]
) -> None:
    amir = person_register(actor=commander, given_name="Amir", family_name="Haddad")
    bilal = person_register(actor=commander, given_name="Bilal", family_name="Saleh")
    chen = person_register(actor=commander, given_name="Chen", family_name="Wei")
    now = timezone.now()

    def plan(post: WatchPost, start: float, end: float, person: Any) -> Shift:
        return services.shift_plan(
            actor=commander,
            post=post,
            starts_at=now + dt.timedelta(hours=start),
            ends_at=now + dt.timedelta(hours=end),
            person=person,
        )

    plan(posts[0], -1, 11, amir)
    plan(posts[0], 11, 25, chen)
    plan(posts[1], -1, 8, bilal)
    raised = services.roster_sweep()
    assert [a.kind for a in raised] == [services.GAP_KIND]
    assert "Ridge uncovered" in raised[0].title
    assert services.roster_sweep()[0].pk == raised[0].pk, "raised once, not every sweep"

    night = plan(posts[1], 8, 25, None)
    assert [a.pk for a in services.roster_sweep()] == [raised[0].pk], (
        "a shift with nobody on it covers nothing"
    )
    with pytest.raises(ValidationFailed, match="already stands North gate"):
        services.shift_assign(actor=commander, shift=night, person=amir)
    services.shift_assign(actor=commander, shift=night, person=bilal)
    after = services.roster_sweep()
    # Covered now, but Bilal goes straight from one watch into the next: too little rest.
    assert [a.kind for a in after] == [services.ROSTER_KIND]
    assert "0.0 h of rest" in after[0].title
    assert Alert.objects.get(pk=raised[0].pk).resolved_at is not None


def test_the_hand_over_is_written_by_the_watcher_or_the_commander(
    commander: Any, field_team: Any, logistics: Any, posts: list[WatchPost]
) -> None:
    shift = services.shift_plan(
        actor=commander, post=posts[0], starts_at=_at(-3), ends_at=_at(3), user=field_team
    )
    assert selectors.shifts_of_user(actor=field_team) == [shift]
    with pytest.raises(Forbidden):
        services.shift_handover(actor=logistics, shift=shift, note="x")
    services.shift_handover(actor=field_team, shift=shift, note="lights seen to the east at 02:00")
    shift.refresh_from_db()
    assert shift.handover_note.startswith("lights seen")


def test_a_shift_shows_what_its_post_logged_during_it(
    commander: Any, posts: list[WatchPost]
) -> None:
    now = timezone.now()

    def ago(hours: float) -> dt.datetime:
        return now - dt.timedelta(hours=hours)

    shift = services.shift_plan(actor=commander, post=posts[0], starts_at=ago(3), ends_at=ago(1))
    during = perimeter_log(actor=commander, post=posts[0], seen="nothing", observed_at=ago(2))
    perimeter_log(actor=commander, post=posts[0], seen="nothing", observed_at=ago(0.5))
    perimeter_log(actor=commander, post=posts[1], seen="nothing", observed_at=ago(2))
    assert selectors.shift_log(actor=commander, shift=shift) == [during]
