"""The one schema of each alert input and output: the API and the CLI parse with these."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lifeline.alerts.kinds import ALERT_KINDS
from lifeline.alerts.models import Alert
from lifeline.alerts.selectors import INBOX_STATES


class AlertFilterInput(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        choices=INBOX_STATES, default="open", help_text="open (default), resolved or all"
    )
    kind = serializers.CharField(
        required=False, max_length=60, help_text="only alerts of this kind, e.g. mission.overdue"
    )


class AlertResolveInput(serializers.Serializer[Any]):
    resolution = serializers.CharField(
        max_length=300, help_text="how it was resolved, in words (kept with the alert)"
    )


class AlertOutput(serializers.ModelSerializer[Alert]):
    kind_meaning = serializers.SerializerMethodField()
    # The messages in the request's language (Accept-Language); the field names stay.
    title = serializers.CharField(source="shown_title", read_only=True)
    detail = serializers.CharField(source="shown_detail", read_only=True)
    resolution = serializers.CharField(source="shown_resolution", read_only=True)
    acknowledged_by = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)
    resolved_by = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "kind_meaning",
            "severity",
            "title",
            "detail",
            "subject_type",
            "subject_id",
            "raised_at",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "resolution",
        ]
        read_only_fields = fields

    def get_kind_meaning(self, alert: Alert) -> str:
        kind = ALERT_KINDS.get(alert.kind)
        return str(kind.meaning) if kind is not None else ""
