"""The kinds of alert and whom each concerns. Each app declares the kinds it raises when Django
starts (its AppConfig.ready), next to the code that raises them: `alert_raise` refuses a kind
nobody declared, so a typo never becomes an alert nobody is meant to see, and `alert_list` shows
a kind only to the roles that hold its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class AlertKind:
    kind: str  # "<app>.<what>", e.g. "mission.overdue"
    # What a person should look at, in words: gettext_lazy("...") so each reader reads it in
    # their language.
    meaning: str | Promise
    # Who may see, acknowledge and resolve alerts of this kind (with the alert's own
    # permission, if it has one); empty: every signed-in role.
    permission: str = ""


ALERT_KINDS: dict[str, AlertKind] = {}


def alert_kind_declare(*kinds: AlertKind) -> None:
    for declared in kinds:
        known = ALERT_KINDS.get(declared.kind)
        if known is not None and known != declared:
            # Two apps meaning different things by one kind would show it to the wrong roles.
            raise ValueError(f"alert kind {declared.kind!r} is already declared differently")
        ALERT_KINDS[declared.kind] = declared


def alert_kind_of(kind: str) -> AlertKind:
    try:
        return ALERT_KINDS[kind]
    except KeyError:
        raise LookupError(
            f"alert kind {kind!r} is not declared: declare it with alert_kind_declare "
            "in the raising app's AppConfig.ready"
        ) from None
