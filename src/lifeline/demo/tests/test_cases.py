"""The protection cases the stories imply: the girl who has not spoken and the boy who
clutched Abderrazak's sleeve are followed by Kai, at high risk."""

from __future__ import annotations

import pytest

from lifeline.demo.accounts import Cast
from lifeline.demo.cases import cases_load
from lifeline.demo.scenario import demo_sites_ensure, story_load
from lifeline.people import protection
from lifeline.people.models import CaseKind, RiskLevel


@pytest.fixture
def cases(cast: Cast) -> None:
    story = story_load(cast=cast, sites=demo_sites_ensure())
    cases_load(cast=cast, story=story)


def test_the_girl_who_has_not_spoken_and_ilyas_have_high_risk_cases_with_kai(
    cast: Cast, cases: None
) -> None:
    by_child = {c.child.given_name: c for c in protection.case_list(actor=cast.protection)}
    girl = next(c for c in protection.case_list(actor=cast.protection) if "not spoken" in c.notes)
    ilyas = by_child["Ilyas"]
    for case in (girl, ilyas):
        assert case.kind == CaseKind.UNACCOMPANIED
        assert case.risk_level == RiskLevel.HIGH
        assert case.caseworker == cast.protection
        assert case.next_follow_up is not None
    assert "Abderrazak's sleeve" in ilyas.notes


def test_a_viewer_of_the_demo_sees_no_case(cast: Cast, cases: None) -> None:
    from lifeline.core.errors import Forbidden

    with pytest.raises(Forbidden):
        protection.case_list(actor=cast.viewer)
