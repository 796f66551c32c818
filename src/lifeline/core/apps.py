from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate


def _roles_after_migrate(**kwargs: Any) -> None:
    from lifeline.core.services import roles_sync

    roles_sync()


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    from lifeline.core.services import login_failure_record

    meta = getattr(request, "META", {}) if request is not None else {}
    login_failure_record(
        username=str(credentials.get("username", "")),
        address=str(meta.get("REMOTE_ADDR", "") or "command line"),
    )


class CoreConfig(AppConfig):
    name = "lifeline.core"
    label = "core"
    verbose_name = "Lifeline core"

    def ready(self) -> None:
        from lifeline.core.roles import ROLE_GRANTS, role_permissions_grant

        role_permissions_grant("core", ROLE_GRANTS)
        post_migrate.connect(_roles_after_migrate, dispatch_uid="lifeline.roles_sync")
        from django.contrib.auth.signals import user_logged_in

        from lifeline.core.language import language_on_sign_in

        user_logged_in.connect(language_on_sign_in, dispatch_uid="lifeline.language_on_sign_in")
        from lifeline.core.privacy import seen_on_sign_in

        user_logged_in.connect(seen_on_sign_in, dispatch_uid="lifeline.seen_on_sign_in")
        # Every failed sign-in (pages, API token, CLI) goes to the audit log.
        user_login_failed.connect(_login_failed, dispatch_uid="lifeline.login_failed")
        from lifeline.core.batches import batches_sweep
        from lifeline.core.sweeps import Sweep, sweep_register

        # Batches whose writer was killed: their rows removed at the worker's every pass.
        sweep_register(Sweep("core.batches", batches_sweep))
