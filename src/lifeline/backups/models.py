"""The backups this site made: where each went, how big, and whether it was proven by a
restore into a scratch database. Local to the site (a backup is of this machine), never
replicated; the files themselves are the backups, these rows are what the pages show."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lifeline.core.ids import uuid7


class BackupRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    file_name = models.CharField(max_length=200)
    folder = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    size_bytes = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    rows = models.BigIntegerField(default=0)  # rows of every table in the backup
    media_files = models.IntegerField(default=0)
    # Verified: restored into a scratch database that passed every check.
    verified_at = models.DateTimeField(null=True, blank=True)
    problems = models.TextField(blank=True)  # what verification found wrong, one per line
    removed_at = models.DateTimeField(null=True, blank=True)  # by the retention rule

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
