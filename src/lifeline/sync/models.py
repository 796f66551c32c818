"""What sync keeps: peers and their keys, cursors, conflicts kept for review, changes waiting
for their parent (or for the clock), actors known by a stable key, and bundles imported.

None of these rows replicates: they are this site's view of the others.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lifeline.core.ids import uuid7
from lifeline.core.models import Site


class SiteKey(models.Model):
    """This site's signing key (ed25519): bundles it writes are signed with it."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE)
    private_key = models.BinaryField()  # raw 32 bytes
    public_key = models.BinaryField()  # raw 32 bytes
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"key of {self.site_id}"


class Peer(models.Model):
    """Another site this one exchanges with: its public key, what it may hold, and what we
    know it has (its cursors, from the last bundle it sent us)."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.PROTECT)
    public_key = models.BinaryField()
    # Children's protection cases and medical records leave only for peers allowed them.
    may_hold_protected = models.BooleanField(default=False)
    # What the peer told us it has of each writer site: {site uuid hex: version}.
    acked = models.JSONField(default=dict, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_received_at = models.DateTimeField(null=True, blank=True)
    # Bundles from this peer are numbered; an older or repeated number is a replay.
    last_bundle_seq = models.BigIntegerField(default=0)
    registered_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"peer {self.site_id}"


class Cursor(models.Model):
    """What this site has of one writer site: every change it stamped up to `version`."""

    source_site = models.UUIDField(primary_key=True)
    version = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.source_site}: {self.version}"


class BundleCounter(models.Model):
    """The number of the last bundle this site wrote (bundles are numbered per writer)."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE)
    seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.site_id}: bundle {self.seq}"


class PendingChange(models.Model):
    """A change that arrived but cannot be applied yet: its parent row has not arrived, or its
    clock is too far ahead of ours. Kept whole (as it travelled) and retried on every apply."""

    class Reason(models.TextChoices):
        PARENT = "parent", _("waiting for the row it points to")
        CLOCK = "clock", _("stamped too far ahead of this site's clock")
        REFUSED = "refused", _("refused by this site's database")

    version = models.CharField(max_length=64, primary_key=True)
    source_site = models.UUIDField(db_index=True)
    model = models.CharField(max_length=100)
    object_id = models.UUIDField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    waiting_for_model = models.CharField(max_length=100, blank=True)
    waiting_for_id = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.CharField(max_length=300, blank=True)
    change = models.JSONField(encoder=DjangoJSONEncoder)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} @{self.version} ({self.reason})"


class Conflict(models.Model):
    """Two writes of one field that did not see each other: the value that lost, kept so a
    person can review it and keep it instead (a new write)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    model = models.CharField(max_length=100)
    object_id = models.UUIDField()
    field = models.CharField(max_length=100)
    winner_value = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    winner_version = models.CharField(max_length=64)
    winner_site = models.UUIDField(null=True)
    loser_value = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    loser_version = models.CharField(max_length=64)
    loser_site = models.UUIDField(null=True)
    # Who wrote the losing value, by stable actor key when the change named one.
    loser_actor = models.CharField(max_length=64, blank=True)
    detected_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)  # "kept_winner" / "kept_loser"

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            # The same pair of writes met twice (a replay) is one conflict.
            models.UniqueConstraint(
                fields=["loser_version", "field"], name="sync_conflict_once_per_loser_field"
            )
        ]
        indexes = [models.Index(fields=["model", "object_id"])]
        permissions = [("review_conflict", "Can review sync conflicts and keep the other value")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}.{self.field}: kept {self.loser_value!r}"


class ActorKey(models.Model):
    """A user's stable identity across sites: the feed names actors by this key, never by a
    local integer id. A user first seen in another site's change becomes an inactive
    placeholder here."""

    key = models.UUIDField(primary_key=True, default=uuid7)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_actor"
    )
    username = models.CharField(max_length=150)  # as known at its home site
    home_site = models.UUIDField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.username} ({self.key})"


class BundleImport(models.Model):
    """A bundle imported here: from whom, its number and what it carried."""

    id = models.UUIDField(primary_key=True)  # the bundle's own id
    sender = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    imported_at = models.DateTimeField(default=timezone.now)
    changes = models.IntegerField(default=0)
    applied = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"bundle {self.seq} from {self.sender_id}"


# -- the HTTP exchange (sync/exchange.py) ---------------------------------------------------


class PeerLink(models.Model):
    """How this site reaches a peer over HTTP, and the numbers of the signed requests between
    them: each request carries a number higher than the last one accepted from its sender, so
    a request captured and sent again is refused."""

    peer = models.OneToOneField(Peer, primary_key=True, on_delete=models.CASCADE)
    url = models.CharField(max_length=300, blank=True)  # where the peer answers, if known
    seq_out = models.BigIntegerField(default=0)  # the last number this site signed for it
    seq_in = models.BigIntegerField(default=0)  # the last number accepted from it

    def __str__(self) -> str:
        return f"link to {self.peer_id} at {self.url or '?'}"


class Exchange(models.Model):
    """One HTTP exchange this site started with a peer: its progress, shown while it runs."""

    class State(models.TextChoices):
        RUNNING = "running", pgettext_lazy("sync exchange", "running")
        DONE = "done", pgettext_lazy("sync exchange", "done")
        FAILED = "failed", pgettext_lazy("sync exchange", "stopped")

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.SET_NULL)
    url = models.CharField(max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    phase = models.CharField(max_length=10, blank=True)  # "pull" or "push"
    pulled = models.IntegerField(default=0)  # changes received so far
    pull_total = models.IntegerField(default=0)  # changes the peer had for us when asked
    pushed = models.IntegerField(default=0)
    push_total = models.IntegerField(default=0)
    applied = models.IntegerField(default=0)  # of the changes received, applied here
    retries = models.IntegerField(default=0)  # requests sent again after a network failure
    message = models.CharField(max_length=500, blank=True)  # why it failed

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"exchange with {self.url}: {self.state}"


# -- the radio digest (sync/digest.py) -------------------------------------------------------


class RadioPart(models.Model):
    """A packet of a radio message not yet whole, kept until the message's other packets are
    heard (maybe days later), then merged with them; dropped once the message is applied, or
    when it is older than `digest.RADIO_PARTS_KEPT`."""

    sender_tag = models.BinaryField(max_length=4)  # the last 4 bytes of the sender site's id
    message_tag = models.BinaryField(max_length=4)  # the first 4 bytes of the message's SHA-256
    number = models.PositiveSmallIntegerField()  # from 0
    count = models.PositiveSmallIntegerField()
    data = models.BinaryField()
    first_heard_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender_tag", "message_tag", "number"], name="sync_radiopart_once"
            )
        ]

    def __str__(self) -> str:
        return f"part {self.number + 1} of {self.count} of {bytes(self.message_tag).hex()}"
