"""Missions and what they carry: the team, vehicles, waypoints and named points, the
append-only history of state changes, check-ins and the debrief.

A mission's current state is derived from its transitions (`state`, `state_since` are a cache,
`derived_fields`); check-ins are a ledger the overdue rule reads.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.models import ReplicatedModel
from lifeline.missions.lifecycle import LABELS, State


class MissionKind(models.TextChoices):
    RECON = "recon", _("Recon")
    SUPPLY_RUN = "supply_run", _("Supply run")
    SALVAGE = "salvage", _("Salvage")
    SEARCH_AND_RESCUE = "search_and_rescue", _("Search and rescue")
    EVACUATION = "evacuation", _("Evacuation")
    CONVOY = "convoy", _("Convoy")
    PATROL = "patrol", _("Patrol")


# The states' names are marked in `lifecycle` (pure) and translated here, when shown.
StateChoices = [(state.value, _(LABELS[state])) for state in State]


class Mission(ReplicatedModel):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=MissionKind.choices)
    objective = models.TextField(blank=True)
    area = models.CharField(max_length=120, blank=True)
    standing_orders = models.TextField(blank=True)
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField(null=True, blank=True)
    checkin_interval_minutes = models.PositiveIntegerField(default=30)
    # The centre of the area, for the map and for reports without coordinates.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Radio packets name the mission by the last 4 bytes of its id (lifecycle.mission_tag_of).
    radio_tag = models.BigIntegerField(db_index=True, editable=False, default=0)

    state = models.CharField(max_length=12, choices=StateChoices, default=State.PLANNED)
    state_since = models.DateTimeField(null=True, blank=True)

    derived_fields: ClassVar[frozenset[str]] = frozenset({"state", "state_since"})

    class Meta:
        ordering = ["-planned_start"]
        indexes = [models.Index(fields=["state", "planned_start"])]
        permissions = [
            ("command_mission", "Can brief, complete, abort and debrief missions"),
            ("transition_mission", "Can set a briefed mission under way and turn it for home"),
            ("checkin_mission", "Can check a team in"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    SECOND = "second", _("Second in command")
    MEDIC = "medic", _("Medic")
    DRIVER = "driver", _("Driver")
    SCOUT = "scout", _("Scout")
    RADIO = "radio_operator", _("Radio operator")
    MEMBER = "member", _("Member")


class MissionMember(ReplicatedModel):
    """One member of a mission's team: a person in the registry and/or a user account."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    callsign = models.CharField(max_length=40, blank=True)
    # The member's number on the radio (1, 2, ...), unique in the mission: in the database
    # per origin site (another site's member is always applied), across sites by the apply
    # hook's alert (missions.arrivals).
    radio_number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["radio_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "radio_number", "origin_site"],
                name="member_radio_number_unique_per_site",
            )
        ]

    def __str__(self) -> str:
        return self.callsign or f"member {self.radio_number}"

    @property
    def display_name(self) -> str:
        """Name and callsign for the board; select_related person and user before a list."""
        if self.person is not None:
            name = self.person.full_name
        elif self.user is not None:
            name = self.user.get_full_name() or self.user.get_username()
        else:
            name = f"member {self.radio_number}"
        return f"{name} ({self.callsign})" if self.callsign and self.callsign != name else name


class VehicleStatus(models.TextChoices):
    READY = "ready", _("Ready")
    IN_REPAIR = "in_repair", _("In repair")
    OUT = "out", _("Out")


class Vehicle(ReplicatedModel):
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=40, blank=True)
    plate = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        max_length=10, choices=VehicleStatus.choices, default=VehicleStatus.READY
    )
    fuel_percent = models.PositiveSmallIntegerField(default=100)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MissionVehicle(ReplicatedModel):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="vehicles")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="missions")
    note = models.CharField(max_length=200, blank=True)  # e.g. "carries the cold box"

    def __str__(self) -> str:
        return f"{self.vehicle_id} on {self.mission_id}"


class PointKind(models.TextChoices):
    WAYPOINT = "waypoint", _("Waypoint")
    RALLY = "rally", _("Rally point")
    EXTRACTION = "extraction", _("Extraction point")
    OBJECTIVE = "objective", _("Objective")


class MissionPoint(ReplicatedModel):
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="points")
    kind = models.CharField(max_length=12, choices=PointKind.choices)
    name = models.CharField(max_length=80)
    latitude = models.FloatField()
    longitude = models.FloatField()
    sequence = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sequence", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class MissionTransition(ReplicatedModel):
    """Append-only: the mission moved from one state to another, by whom, when."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, choices=StateChoices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "version"]

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.from_state or '-'} -> {self.to_state}"


class CheckInStatus(models.TextChoices):
    OK = "ok", _("OK")
    DELAYED = "delayed", _("Delayed")
    NEED_HELP = "need_help", _("Needs help")
    CONTACT = "contact", _("In contact")
    RETURNING = "returning", _("Returning")


class Source(models.TextChoices):
    WEB = "web", _("Web or API")
    RADIO = "radio", _("Radio packet")
    COT = "cot", _("Cursor-on-Target")


class CheckIn(ReplicatedModel):
    """Append-only: a team reported in, from where, in what state."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="checkins")
    member = models.ForeignKey(
        MissionMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CheckInStatus.choices, default="ok")
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.WEB)
    # The sender's packet number, so a packet heard twice is recorded once.
    seq = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "version"]
        indexes = [models.Index(fields=["mission", "at"])]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.status} at {self.at:%H:%M}"


class Debrief(ReplicatedModel):
    mission = models.OneToOneField(Mission, on_delete=models.PROTECT, related_name="debrief")
    people_found = models.PositiveIntegerField(default=0)
    casualties = models.PositiveIntegerField(default=0)
    # [{"item": "vaccine", "quantity": 40, "unit": "dose"}]
    supplies_recovered = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"debrief of {self.mission_id}"
