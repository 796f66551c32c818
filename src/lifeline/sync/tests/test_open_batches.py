"""No change of an unfinished batch (a bulk import still writing, or killed and not yet swept)
leaves the site: the feed's cursor of this site stops short of the batch's first version, and
its changes go once the batch is done."""

from __future__ import annotations

from typing import Any

import pytest

from lifeline.core import batches
from lifeline.core.clock import site_local
from lifeline.core.models import Site
from lifeline.people.services import person_register
from lifeline.sync.feed import FeedScope, feed_build

pytestmark = pytest.mark.django_db


def _ids(feed: dict[str, Any]) -> set[str]:
    return {change["id"] for change in feed["changes"] if change["model"] == "people.person"}


def test_the_changes_of_an_open_batch_wait_until_it_is_done(registrar: Any, site: Site) -> None:
    before = person_register(actor=registrar, given_name="Amal", family_name="Haddad")
    batch = batches.batch_open("people.import")
    try:
        during = person_register(actor=registrar, given_name="Sami", family_name="Nasser")
        here = site_local().pk.hex

        feed = feed_build(scope=FeedScope(since={}, protected=False), recipient=None)

        assert _ids(feed) == {str(before.pk)}
        assert feed["cursors"][here] < batch.low_version
        assert feed["ranges"][here][1] == feed["cursors"][here]
        batches.batch_finish(batch)
    finally:
        batches.batch_release(batch)

    later = feed_build(scope=FeedScope(since=feed["cursors"], protected=False), recipient=None)

    assert _ids(later) == {str(during.pk)}
    assert later["cursors"][here] >= during.version


def test_an_open_batch_of_a_writer_that_is_gone_is_swept_before_a_feed_is_built(
    registrar: Any, site: Site
) -> None:
    batch = batches.batch_open("people.import")
    batches.batch_release(batch)  # its writer died: nothing holds it any more

    feed_build(scope=FeedScope(since={}, protected=False), recipient=None)

    batch.refresh_from_db()
    assert batch.state == batch.DISCARDED
