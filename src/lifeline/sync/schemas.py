"""What the sync API answers: the status per peer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class PeerStatusOutput(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="the peer site's code")
    name = serializers.CharField()
    last_sent_at = serializers.DateTimeField(
        allow_null=True, help_text="last time changes left for it (bundle or exchange)"
    )
    last_received_at = serializers.DateTimeField(
        allow_null=True, help_text="last time its changes arrived (bundle or exchange)"
    )
    changes_not_sent = serializers.IntegerField(
        help_text="changes here it has not acknowledged (less what it may not hold)"
    )
    conflicts_open = serializers.IntegerField(help_text="open conflicts with one side its write")
    may_hold_protected = serializers.BooleanField(
        help_text="children's protection cases and medical records may leave for it"
    )


class SyncStatusOutput(serializers.Serializer[Any]):
    site_code = serializers.CharField(help_text="this site")
    peers = PeerStatusOutput(many=True)
    conflicts_open = serializers.IntegerField()
    waiting_for_parent = serializers.IntegerField(
        help_text="changes here waiting for the row they point to"
    )
    held_for_clock = serializers.IntegerField(
        help_text="changes held back: stamped too far ahead of this site's clock"
    )
    cursors = serializers.DictField(
        child=serializers.CharField(),
        help_text="per writer site (id hex), the version up to which this site has its changes",
    )


class SiteHoldingOutput(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="the site's code")
    name = serializers.CharField()
    here = serializers.BooleanField(help_text="this site")
    latest = serializers.BooleanField(
        help_text="holds the newest version known here (else an older one)"
    )


class RecordSitesOutput(serializers.Serializer[Any]):
    model = serializers.CharField(help_text="the record's kind, e.g. people.person")
    object_id = serializers.UUIDField()
    version = serializers.CharField(help_text="the newest version of the record known here")
    sites = SiteHoldingOutput(many=True, help_text="the sites known to hold it, this site first")
