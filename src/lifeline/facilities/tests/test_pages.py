"""The facilities and watch pages through the test client: each form, bad input as a form
error, refused roles given no form and a 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lifeline.facilities import services
from lifeline.facilities.models import Facility, FacilityPhoto, Shift, WorkOrder
from lifeline.facilities.tests.conftest import photo_upload
from lifeline.intel.models import WatchPost

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_register_then_assess_with_a_photo_then_repair(
    commander: Any, logistics: Any, field_team: Any
) -> None:
    page = signed_in(logistics)
    bad = page.post(reverse("facilities:new"), {"name": "", "kind": "shelter"})
    assert bad.status_code == 200 and "Name:" in bad.content.decode()
    made = page.post(
        reverse("facilities:new"), {"name": "Shelter C", "kind": "shelter", "capacity": "30"}
    )
    facility = Facility.objects.get(name="Shelter C")
    assert made["Location"] == reverse("facilities:detail", args=[facility.pk])

    team = signed_in(field_team)
    form = team.get(reverse("facilities:assess", args=[facility.pk])).content.decode()
    assert 'capture="environment"' in form and 'enctype="multipart/form-data"' in form
    assessed = team.post(
        reverse("facilities:assess", args=[facility.pk]),
        {
            "severity": "3",
            "safe_to_use": "false",
            "damage": "roof torn off",
            "capacity_lost": "30",
            "photos": photo_upload(),
        },
    )
    assert assessed.status_code == 302
    detail = team.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    assert "Unsafe to use" in detail and "roof torn off" in detail
    assert "Raise repair work" not in detail, "a field team may not raise work: no link"
    photo = FacilityPhoto.objects.get()
    served = team.get(reverse("facilities:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"

    assessment = facility.assessments.get()
    raised = page.post(
        reverse("facilities:work_new", args=[facility.pk]) + f"?assessment={assessment.pk}",
        {"title": "New roof", "priority": "urgent"},
    )
    order = WorkOrder.objects.get()
    assert raised["Location"] == reverse("facilities:work", args=[order.pk])
    assert order.assessment == assessment
    page.post(reverse("facilities:work_start", args=[order.pk]))
    empty_note = page.post(reverse("facilities:work_close", args=[order.pk]), {"note": ""})
    assert empty_note.status_code == 302
    order.refresh_from_db()
    assert order.status == "in_progress"
    page.post(
        reverse("facilities:work_close", args=[order.pk]),
        {"note": "roof rebuilt", "outcome": "done"},
    )
    facility.refresh_from_db()
    assert facility.state == "working"
    listing = page.get(reverse("facilities:list")).content.decode()
    assert "Shelter C" in listing and "Working" in listing


def test_a_viewer_sees_the_list_and_no_forms(viewer: Any, commander: Any) -> None:
    shelter = services.facility_register(actor=commander, name="Clinic", kind="clinic")
    page = signed_in(viewer)
    listing = page.get(reverse("facilities:list")).content.decode()
    assert "Clinic" in listing and "Register a facility" not in listing
    detail = page.get(reverse("facilities:detail", args=[shelter.pk])).content.decode()
    assert "Assess damage" not in detail
    assert page.get(reverse("facilities:assess", args=[shelter.pk])).status_code == 403
    assert page.get(reverse("facilities:new")).status_code == 403
    assert page.get(reverse("facilities:roster")).status_code == 403


def test_the_roster_page_flags_the_post_left_open_tonight_and_plans_a_shift(
    commander: Any, field_team: Any, posts: list[WatchPost]
) -> None:
    page = signed_in(commander)
    tonight = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    services.shift_plan(
        actor=commander,
        post=posts[0],
        starts_at=tonight,
        ends_at=tonight + dt.timedelta(hours=24),
        user=field_team,
    )
    shown = page.get(reverse("facilities:roster") + "?start=tonight").content.decode()
    assert "Uncovered" in shown and "Ridge: nobody on watch" in shown
    fmt = "%Y-%m-%dT%H:%M"
    planned = page.post(
        reverse("facilities:roster") + "?start=tonight",
        {
            "post": str(posts[1].pk),
            "starts_at": tonight.strftime(fmt),
            "ends_at": (tonight + dt.timedelta(hours=12)).strftime(fmt),
            "user": commander.username,
        },
    )
    assert planned.status_code == 302, planned.content.decode()[:2000]
    assert Shift.objects.filter(post=posts[1]).exists()
    bad = page.post(
        reverse("facilities:roster"),
        {"post": str(posts[1].pk), "starts_at": tonight.strftime(fmt), "ends_at": "nonsense"},
    )
    assert bad.status_code == 200 and "To:" in bad.content.decode()

    team = signed_in(field_team)
    mine = team.get(reverse("facilities:mine")).content.decode()
    assert "North gate" in mine
    shift = Shift.objects.get(post=posts[0])
    team.post(reverse("facilities:shift", args=[shift.pk]), {"note": "gate lock sticks"})
    shift.refresh_from_db()
    assert shift.handover_note == "gate lock sticks"
