"""One hierarchy of errors. The API, the pages and the CLI map each class to one HTTP status,
one page message and one exit code, so a user meets the same words everywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _


class LifelineError(Exception):
    code = "error"
    http_status = 400
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


class ValidationFailed(LifelineError):
    """Bad input: `fields` maps each offending field (or row.field) to its messages."""

    code = "invalid"
    http_status = 400
    exit_code = 2

    def __init__(
        self, fields: Mapping[str, Sequence[str] | str], message: str | None = None
    ) -> None:
        self.fields: dict[str, list[str]] = {
            name: [msgs] if isinstance(msgs, str) else [str(m) for m in msgs]
            for name, msgs in fields.items()
        }
        # A message made of the fields' own says nothing more than they do (the CLI lists them).
        self.message_is_fields = message is None
        if message is None:
            message = "; ".join(
                _("%(field)s: %(messages)s") % {"field": name, "messages": " ".join(msgs)}
                if name
                else " ".join(msgs)
                for name, msgs in self.fields.items()
            )
        super().__init__(message)

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "fields": self.fields}

    def said_plainly(self) -> str:
        """The fields' messages without the fields' names (a page that has no form for them
        says what was wrong in a sentence), else the message."""
        return "; ".join(m for messages in self.fields.values() for m in messages) or self.message


class NotFound(LifelineError):
    code = "not_found"
    http_status = 404
    exit_code = 3


class Forbidden(LifelineError):
    code = "forbidden"
    http_status = 403
    exit_code = 4


class Conflict(LifelineError):
    code = "conflict"
    http_status = 409
    exit_code = 5
