"""The catalogue, stock locations, lots, the append-only stock ledger, cold-chain readings,
ration cycles, distribution points and distributions.

Stock on hand is derived from `Movement` rows (principle 1). `StockBalance` is a local cache of
that sum per location and lot, kept in the same transaction as every movement so that an issue
reads one row instead of the whole ledger; it is never shipped and can be rebuilt at any time
(`services.stock_balances_rebuild`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lifeline.core.models import ReplicatedModel, Site
from lifeline.core.templatetags.lifeline_format import day as day_said
from lifeline.people.models import Household


class Category(models.TextChoices):
    MEDICINE = "medicine", _("Medicine")
    VACCINE = "vaccine", _("Vaccine")
    FOOD = "food", _("Food")
    WATER = "water", _("Water")
    FUEL = "fuel", _("Fuel")
    SHELTER = "shelter", _("Shelter")
    HYGIENE = "hygiene", _("Hygiene")
    OTHER = "other", _("Other")


class Item(ReplicatedModel):
    # The id is derived from the code (services.catalogue.item_id_of): the same code created
    # at two sites is one item, so this never collides when their rows meet.
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.OTHER)
    unit = models.CharField(max_length=20, default="unit")
    # What one unit gives a person, where it applies (Sphere standards count kcal and litres).
    kcal_per_unit = models.DecimalField(null=True, blank=True, max_digits=10, decimal_places=2)
    litres_per_unit = models.DecimalField(null=True, blank=True, max_digits=10, decimal_places=3)
    cold_chain = models.BooleanField(default=False)
    reorder_level = models.DecimalField(default=Decimal(0), max_digits=14, decimal_places=3)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("manage_catalogue", "Can add and change items, locations and lots"),
            ("manage_stock", "Can record stock movements and counts"),
            ("issue_ration", "Can issue rations at a distribution point"),
            ("manage_rations", "Can set up ration cycles and distribution points"),
        ]

    def __str__(self) -> str:
        return self.name


class LocationKind(models.TextChoices):
    STORE = "store", _("Store")
    CACHE = "cache", _("Cache")
    VEHICLE = "vehicle", _("Vehicle")


class Location(ReplicatedModel):
    # Unique per site (two camps may each have a "main-store"); the id is derived from both
    # (services.catalogue.location_id_of), so one site's code written twice is one row.
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=LocationKind.choices, default=LocationKind.STORE)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # A refrigerator or cold box: its temperature readings are checked against 2-8 °C.
    cold_chain = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="location_code_unique_per_site")
        ]

    def __str__(self) -> str:
        return self.name


class Lot(ReplicatedModel):
    """A batch of an item. Its id is derived from (item, batch, expiry) when it has a batch or
    an expiry (services.ledger.lot_id_of), so the same batch received at two sites is one lot
    everywhere and moves with a transfer as that one id."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    batch = models.CharField(max_length=60, blank=True)
    expiry_date = models.DateField(null=True, blank=True, db_index=True)
    # Vaccine vial monitor: 1-2 usable, 3 is the discard point, 4 beyond it.
    vvm_stage = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["expiry_date", "batch"]
        indexes = [models.Index(fields=["item", "batch"])]

    def __str__(self) -> str:
        batch = self.batch or gettext("no batch")
        if self.expiry_date is None:
            return batch
        # The day as every page shows it (`|day`), its month in the user's language.
        day = day_said(self.expiry_date)
        return gettext("%(batch)s exp. %(day)s") % {"batch": batch, "day": day}


class Transfer(ReplicatedModel):
    """Stock sent from one location to another; in transit until received."""

    source = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    vehicle = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"transfer {self.source_id} -> {self.destination_id}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    SALVAGE = "salvage", _("Salvage found in the field")
    ISSUE = "issue", _("Issue")
    RATION = "ration", _("Ration issued")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    LOSS = "loss", _("Loss")
    EXPIRY = "expiry", _("Expiry write-off")
    DAMAGE = "damage", _("Damage write-off")
    COUNT = "count", _("Count reconciliation")


INBOUND = frozenset({MovementKind.RECEIPT, MovementKind.SALVAGE, MovementKind.TRANSFER_IN})
OUTBOUND = frozenset(
    {
        MovementKind.ISSUE,
        MovementKind.RATION,
        MovementKind.TRANSFER_OUT,
        MovementKind.LOSS,
        MovementKind.EXPIRY,
        MovementKind.DAMAGE,
    }
)
# What people used up: observed consumption is measured from these.
CONSUMPTION = frozenset({MovementKind.ISSUE, MovementKind.RATION})


class Distribution(ReplicatedModel):
    """A household's ration for one cycle, collected at one site.

    `site` is the installation that issued it (this site's own, `clock.site_local`), not
    always its cycle's: two distribution laptops at one camp are two installations. The unique
    constraint is the rule on one installation: under any concurrency its database refuses a
    second row for the same household and cycle. It holds per origin site, so that rows of two
    installations (or two sites cut off from each other) never collide when they meet; both
    are kept and `services.double_collections_find` (run by the apply hook) raises an alert.
    """

    cycle = models.ForeignKey("RationCycle", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey("DistributionPoint", on_delete=models.PROTECT, related_name="+")
    household_size = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "household", "origin_site"],
                name="distribution_once_per_cycle_and_installation",
            )
        ]

    def __str__(self) -> str:
        return f"ration {self.cycle_id} to {self.household_id}"


class Movement(ReplicatedModel):
    """One line of the stock ledger: a signed quantity of one lot at one location."""

    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="movements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="movements")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)  # positive in, negative out
    transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    distribution = models.ForeignKey(
        Distribution, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at", "version"]
        indexes = [
            models.Index(fields=["item", "occurred_at"]),
            models.Index(fields=["location", "lot"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} of {self.item_id} at {self.location_id}"


class StockBalance(models.Model):
    """Local cache: the sum of the movements of one lot at one location (never shipped)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    expiry_date = models.DateField(null=True, blank=True)  # the lot's, for FEFO order
    quantity = models.DecimalField(default=Decimal(0), max_digits=14, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "lot"], name="balance_one_per_lot"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_never_negative"),
        ]
        indexes = [models.Index(fields=["location", "item", "expiry_date"])]

    def __str__(self) -> str:
        return f"{self.quantity} of lot {self.lot_id} at {self.location_id}"


class ColdChainReading(ReplicatedModel):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="readings")
    temperature_c = models.DecimalField(max_digits=5, decimal_places=1)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.temperature_c} °C at {self.location_id}"


class RationCycle(ReplicatedModel):
    """One round of rations at a site. `basket` lists {"item": code, "per_person": "0.5"}."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()
    basket = models.JSONField(default=list)
    # Households larger than this get the ration of this many persons.
    max_household_size = models.PositiveIntegerField(default=10)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class DistributionPoint(ReplicatedModel):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
