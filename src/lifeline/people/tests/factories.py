"""Rows of the tracing, protection and duplicates-queue models for the change-log completeness
test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lifeline.core.models import ReplicatedModel
from lifeline.people.models import (
    DuplicateDecision,
    Person,
    ProtectionCase,
    TracingMatch,
    TracingRequest,
)


def _person() -> Person:
    person = Person(given_name="Ilyas")
    person.save()
    return person


def _request() -> TracingRequest:
    request = TracingRequest(seeker_name="Zohra", given_name="Ilyas")
    request.save()
    return request


FACTORIES: dict[type[ReplicatedModel], tuple[Callable[[], ReplicatedModel], str, Any]] = {
    TracingRequest: (
        lambda: TracingRequest(seeker_name="Zohra", given_name="Ilyas"),
        "notes",
        "last seen at the well",
    ),
    TracingMatch: (
        lambda: TracingMatch(request=_request(), person=_person(), score=0.9),
        "note",
        "same boy",
    ),
    ProtectionCase: (
        lambda: ProtectionCase(child=_person(), kind="unaccompanied"),
        "notes",
        "has not spoken",
    ),
    DuplicateDecision: (
        lambda: DuplicateDecision(first=_person(), second=_person(), outcome="distinct"),
        "reason",
        "brothers, born a year apart",
    ),
}
