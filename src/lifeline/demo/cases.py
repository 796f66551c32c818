"""The children's protection cases the stories imply, written through the protection services.

The girl found in the bakery at Mavrah after the granary ambush, who has not spoken since, and
Ilyas, the boy freed from Ayoub's camp who clutched Abderrazak's sleeve: both were registered
with no adult of their household, so registration opened their cases; here Kai (the
protection officer of the demo) takes them on with what the stories tell. The other children
found alone get their cases from the same registration rule.

Call `cases_load(cast=cast, story=story)` after `scenario.story_load` (in `loader.demo_load`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lifeline.demo.accounts import Cast
from lifeline.demo.scenario import STORY_DATE, Story
from lifeline.people import protection
from lifeline.people.models import (
    CareArrangement,
    CaseKind,
    CaseStatus,
    Person,
    ProtectionCase,
    RiskLevel,
)

# What the stories tell of each child: (story key, case values).
STORY_CASES: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "silent-girl",
        {
            "care_arrangement": CareArrangement.INTERIM,
            "carer": "Hana Song (infirmary), nights with the women of Block C",
            "risk_level": RiskLevel.HIGH,
            "notes": (
                "About six. Found in the bakery at Mavrah after the granary ambush, beside a "
                "wounded woman who is not known to be her mother. Has not spoken a word since; "
                "believed to have watched her mother die. Name unknown: tracing by photograph "
                "and by the survivors of Mavrah. Daily check by the medic; no interviews until "
                "she speaks."
            ),
            "follow_up_days": 1,
        },
    ),
    (
        "ilyas",
        {
            "care_arrangement": CareArrangement.INTERIM,
            "carer": "Arrivals shelter, with Hamza Belkadi's group (freed with him)",
            "risk_level": RiskLevel.HIGH,
            "notes": (
                "About twelve, malnourished. Freed in the raid on Ayoub's camp; clutched "
                "Abderrazak's sleeve and whispered something too faint to catch. No adult of his "
                "household was among the freed: ask the freed captives who his family is and "
                "file a tracing request. May know where other captives were taken."
            ),
            "follow_up_days": 2,
        },
    ),
)


def _case_of(child: Person, cast: Cast) -> ProtectionCase:
    case = ProtectionCase.objects.alive().filter(child=child, status=CaseStatus.OPEN).first()
    if case is None:  # registered before the registration rule existed
        case = protection.case_open(actor=cast.protection, child=child, kind=CaseKind.UNACCOMPANIED)
    return case


def cases_load(*, cast: Cast, story: Story) -> list[ProtectionCase]:
    """Kai takes on the story's cases: care, risk, caseworker, notes and the next visit."""
    today = STORY_DATE.date()
    loaded = []
    for key, values in STORY_CASES:
        child = story.people.get(key)
        if child is None:
            continue
        changes = dict(values)
        days = changes.pop("follow_up_days")
        changes |= {
            "caseworker": cast.protection,
            "last_follow_up": today,
            "next_follow_up": today + dt.timedelta(days=days),
        }
        loaded.append(
            protection.case_update(
                actor=cast.protection, case=_case_of(child, cast), changes=changes
            )
        )
    # Any child the stories left alone whose case registration could not open (a child
    # registered into a household before its adults) is caught by the registry review.
    protection.cases_open_for_unaccompanied(actor=cast.protection)
    return loaded
