"""Writes of the core: audit rows, roles, users."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core.errors import Forbidden, ValidationFailed
from lifeline.core.ids import uuid7
from lifeline.core.models import AuditEntry, InsertPlan, Setting, Site, insert_many, insert_prepare
from lifeline.core.roles import Role, role_permissions

# The project uses Django's default user model.
Actor = User | AnonymousUser


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = audit_entry(actor=actor, action=action, obj=obj, summary=summary, detail=detail)
    entry.save(force_insert=True)
    return entry


def audit_entry(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """The audit row of a write or a read, not yet saved (see audit_record_many)."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry(
        actor=user,
        actor_username=user.get_username() if user is not None else "system",
        site_code=settings.LIFELINE_SITE,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        detail=detail or {},
    )


def audit_record_many(entries: Sequence[AuditEntry]) -> None:
    """Save the audit rows of a batch of writes (from audit_entry) in one INSERT, inside the
    batch's transaction: what a hot path that writes many records at once needs."""
    insert_many(AuditEntry, entries)


@dataclass(frozen=True)
class AuditItem:
    """One audit row of a batch (see audit_prepare): what audit_entry takes besides the
    actor."""

    action: str
    obj: models.Model | None = None
    summary: str = ""
    detail: dict[str, Any] | None = None


def audit_prepare(
    *, actor: Actor | None, items: Sequence[AuditItem]
) -> tuple[InsertPlan, list[uuid.UUID]]:
    """The audit rows of a large batch of writes, as audit_entry would make them, prepared
    for one INSERT (`plan.write()` inside the batch's transaction) without building an
    AuditEntry for each; with their ids, for a batch that may have to remove them."""
    user = actor if actor is not None and actor.is_authenticated else None
    count = len(items)
    ids = [uuid7() for _ in range(count)]
    columns: dict[str, list[Any]] = {
        "id": ids,
        "at": [timezone.now()] * count,
        "actor_id": [user.pk if user is not None else None] * count,
        "actor_username": [user.get_username() if user is not None else "system"] * count,
        "site_code": [settings.LIFELINE_SITE] * count,
        "action": [item.action for item in items],
        "object_type": [item.obj._meta.label_lower if item.obj else "" for item in items],
        "object_id": [str(item.obj.pk) if item.obj is not None else "" for item in items],
        "summary": [item.summary[:300] for item in items],
        "detail": [item.detail or {} for item in items],
    }
    return insert_prepare(AuditEntry, columns), ids


def actor_user(actor: Actor | None) -> User | None:
    """The signed-in user behind an actor, for `recorded_by` columns; None for the system."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def permission_require(actor: Actor | None, perm: str, *, doing: str) -> None:
    """Refuse unless the actor holds `perm`; `doing` says what was refused, for the message."""
    if actor is None or not actor.is_authenticated:
        raise Forbidden(_("sign in to %(doing)s") % {"doing": doing})
    if not actor.has_perm(perm):
        raise Forbidden(
            _("your role may not %(doing)s (needs %(permission)s)")
            % {"doing": doing, "permission": perm}
        )


def roles_sync() -> None:
    """Create a group per role with exactly the permissions the role table gives it.

    Permissions of apps not yet migrated are skipped; post_migrate runs this after every app.
    """
    for role, perms in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for label in sorted(perms):
            app_label, codename = label.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


@transaction.atomic
def user_create(
    *,
    actor: Actor | None,
    username: str,
    password: str,
    role: Role | None,
    full_name: str = "",
    superuser: bool = False,
) -> User:
    user_model = User
    if not username:
        raise ValidationFailed({"username": _("is required")})
    if user_model.objects.filter(username=username).exists():
        raise ValidationFailed({"username": _("%(name)r is taken") % {"name": username}})
    given, _space, family = full_name.partition(" ")
    if superuser:
        user = user_model.objects.create_superuser(
            username=username, password=password, first_name=given, last_name=family
        )
    else:
        user = user_model.objects.create_user(
            username=username, password=password, first_name=given, last_name=family
        )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    audit_record(actor=actor, action="user.create", obj=user, summary=f"user {username}")
    return user


def user_roles(user: Actor) -> list[str]:
    if not user.is_authenticated:
        return []
    return sorted(g.name for g in user.groups.all())


@transaction.atomic
def site_ensure(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Site:
    """The site with this code, created if missing; coordinates are filled in when unknown."""
    site, created = Site.objects.get_or_create(
        code=code, defaults={"name": name, "latitude": latitude, "longitude": longitude}
    )
    if not created and site.latitude is None and latitude is not None:
        site.latitude, site.longitude = latitude, longitude
        site.save(update_fields=["latitude", "longitude"])
    if created:
        audit_record(actor=actor, action="site.create", obj=site, summary=f"site {name}")
    return site


def setting_get(*, site: Site, key: str, default: Any = None) -> Any:
    row = Setting.objects.filter(site=site, key=key).first()
    return default if row is None else row.value


@transaction.atomic
def setting_put(*, actor: Actor | None, site: Site, key: str, value: Any) -> Setting:
    """Set a per-site setting (a flag such as the demo marker, a standard)."""
    from django.utils import timezone

    row, _created = Setting.objects.update_or_create(
        site=site, key=key, defaults={"value": value, "updated_at": timezone.now()}
    )
    audit_record(actor=actor, action="setting.put", summary=f"{key} at {site.code}")
    return row


@transaction.atomic
def site_setting_set(*, actor: Actor | None, site: Site, key: str, text: str) -> Setting:
    """Change one of the settings a site may change (see core.site_settings), from text."""
    from lifeline.core.site_settings import SITE_SETTINGS

    permission_require(actor, "core.change_setting", doing=_("change the site's settings"))
    spec = SITE_SETTINGS.get(key)
    if spec is None:
        known = ", ".join(sorted(SITE_SETTINGS))
        raise ValidationFailed(
            {
                "key": _("no setting '%(key)s'; the settings are: %(known)s")
                % {"key": key, "known": known}
            }
        )
    try:
        value = spec.parse(text)
    except ValueError as exc:
        raise ValidationFailed({"value": f"{key}: {exc}"}) from exc
    return setting_put(actor=actor, site=site, key=key, value=value)


@transaction.atomic
def site_setting_clear(*, actor: Actor | None, site: Site, key: str) -> bool:
    """Back to the default for one setting; False when it was not set."""
    from lifeline.core.site_settings import SITE_SETTINGS

    permission_require(actor, "core.change_setting", doing=_("change the site's settings"))
    if key not in SITE_SETTINGS:
        raise ValidationFailed({"key": _("no setting '%(key)s'") % {"key": key}})
    deleted, _counts = Setting.objects.filter(site=site, key=key).delete()
    if deleted:
        audit_record(actor=actor, action="setting.clear", summary=f"{key} at {site.code}")
    return bool(deleted)


@transaction.atomic
def site_position_set(
    *, actor: Actor | None, site: Site, latitude: float, longitude: float
) -> Site:
    """Where the camp is: risk rising within LIFELINE_RISK_CAMP_RADIUS_M of it alerts."""
    permission_require(actor, "core.change_site", doing=_("set where the site is"))
    errors = {}
    if not -90 <= latitude <= 90:
        errors["latitude"] = _("between -90 and 90")
    if not -180 <= longitude <= 180:
        errors["longitude"] = _("between -180 and 180")
    if errors:
        raise ValidationFailed(errors)
    site = Site.objects.select_for_update().get(pk=site.pk)
    site.latitude, site.longitude = latitude, longitude
    site.save(update_fields=["latitude", "longitude"])
    audit_record(
        actor=actor,
        action="site.position",
        obj=site,
        summary=f"{site.name} at {latitude:.5f},{longitude:.5f}",
    )
    return site


@transaction.atomic
def token_issue(*, user: User) -> str:
    """The API token of a user who has just proved their password (created on first use)."""
    from rest_framework.authtoken.models import Token

    from lifeline.core.tokens import token_expired

    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()  # an expired token is replaced, never extended
        token, created = Token.objects.create(user=user), True
    audit_record(
        actor=user,
        action="auth.token",
        obj=user,
        summary=f"API token {'created' if created else 'issued'} for {user.get_username()}",
    )
    return str(token.key)


def site_lockdown(*, actor: Actor | None, detail: dict[str, Any] | None = None) -> bool:
    """Destroy the site's key (core.keys): the backups, and the database when it is
    encrypted, cannot be read again without the recovery key held elsewhere. Audited first,
    while the database can still be written. False: the key was already gone."""
    from lifeline.core.keys import keys_lockdown, keys_state

    if actor is not None:
        permission_require(actor, "core.change_site", doing=_("lock the site down"))
    if keys_state() != "unlocked":
        return False
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="site.lockdown",
            summary="lockdown: the site's key destroyed",
            detail=detail,
        )
    return keys_lockdown()


def site_unlock(
    *, actor: Actor | None, recovery_identity: str, detail: dict[str, Any] | None = None
) -> None:
    """Bring the site's key back from its copy encrypted to the recovery key; audited."""
    from lifeline.core.keys import keys_unlock

    if actor is not None:
        permission_require(actor, "core.change_site", doing=_("unlock the site"))
    keys_unlock(recovery_identity=recovery_identity)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="site.unlock",
            summary="unlocked with the recovery key",
            detail=detail,
        )


@transaction.atomic
def token_revoke(*, actor: Actor | None, user: User) -> bool:
    """Revoke a user's API token (their own, or anyone's for the commander); False when they
    had none. Every program that used it must sign in again."""
    from rest_framework.authtoken.models import Token

    if actor is None or not actor.is_authenticated:
        raise Forbidden(_("sign in to revoke a token"))
    if actor.pk != user.pk:
        permission_require(actor, "core.change_site", doing=_("revoke another user's token"))
    deleted, _counts = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="auth.token_revoke",
            obj=user,
            summary=f"API token of {user.get_username()} revoked",
        )
    return bool(deleted)


def login_failure_record(*, username: str, address: str) -> None:
    """A failed sign-in (a wrong password, a locked-out account), in the audit log."""
    audit_record(
        actor=None,
        action="auth.failed",
        summary=f"failed sign-in as {username[:100]!r}",
        detail={"username": username[:150], "address": address},
    )
