"""Moving feeds between the sites of a `SiteWorld` the way a transport would: built at one
site, packed to bytes and unpacked (as a bundle's payload is), applied at another."""

from __future__ import annotations

from typing import Any

from lifeline.core.clock import site_local
from lifeline.sync.bundle import feed_pack, feed_unpack
from lifeline.sync.feed import FeedReport, FeedScope, feed_apply, feed_build
from lifeline.sync.tests.sites import SiteWorld


def feed_from(
    world: SiteWorld, code: str, *, since: dict[str, str] | None = None, protected: bool = True
) -> dict[str, Any]:
    with world.at(code):
        site_local()
        feed = feed_build(scope=FeedScope(since=since or {}, protected=protected), recipient=None)
        return feed_unpack(feed_pack(feed))


def feed_into(world: SiteWorld, code: str, feed: dict[str, Any], **kwargs: Any) -> FeedReport:
    with world.at(code):
        site_local()
        return feed_apply(feed, **kwargs)


def carry(world: SiteWorld, source: str, target: str, **kwargs: Any) -> FeedReport:
    return feed_into(world, target, feed_from(world, source), **kwargs)
