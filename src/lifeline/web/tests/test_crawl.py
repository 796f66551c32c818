"""Every role, on a phone (390 px), walks every page its menu offers and the links on those
pages: no page is wider than the screen, none answers 5xx or refuses a link it offered, the
console stays clean, and axe-core finds no serious or critical accessibility violation.

axe-core comes inside the axe-playwright-python wheel (its axe.min.js is injected into the page
by Playwright: nothing is fetched at run time).
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from lifeline.conftest import PASSWORD
from lifeline.core.tests.browser import BROWSER_MARKS, PHONE, shots_dir, sign_in

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

ROLES = ("commander", "medic", "logistics", "registrar", "protection", "field_team", "viewer")
MAX_PAGES = 60  # per role
MAX_PER_VIEW = 3  # pages of one kind (three persons' pages say what a fourth would)
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/logout/", "/login/")
SERIOUS = {"serious", "critical"}

# The widest elements of a page that overflows: what to fix.
OVERFLOW_CULPRITS = """(width) => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && ![...el.children].some(
        c => c.getBoundingClientRect().right > width + 1)) {
      found.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`
                 + ` right=${Math.round(box.right)}`);
    }
  }
  return found.slice(0, 5);
}"""


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _page_problems(page: Any, axe: Any, url: str) -> list[str]:
    problems = []
    # A phone (is_mobile) zooms out to fit a wide page, so innerWidth grows with the page:
    # the screen's own width is the measure.
    screen = page.viewport_size["width"]
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if max(width, inner) > screen + 1:
        culprits = page.evaluate(OVERFLOW_CULPRITS, screen)
        problems.append(f"{url}: {max(width, inner)} px wide on a {screen} px screen: {culprits}")
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
            problems.append(
                f"{url}: axe {violation['impact']} {violation['id']} ({violation['help']}) "
                f"at {targets}"
            )
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_fits_a_phone_and_passes_axe(
    live_server: Any, demo_cast: Any, browser: Any, role: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    base = live_server.url
    user = getattr(demo_cast, role)
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on(
        "response",
        lambda r: r.status >= 500 and problems.append(f"{r.url}: answered {r.status}"),
    )

    sign_in(page, base, user.username, PASSWORD)
    assert page.viewport_size == PHONE
    # The menu itself, open over the home page: it fits, and axe checks it too.
    page.click("details.menu > summary")
    page.screenshot(path=str(shots_dir() / f"lifeline-menu-{role}-phone.png"))
    problems += _page_problems(page, axe, f"{base}/ (menu open)")
    menu_links = page.eval_on_selector_all(
        "nav[aria-label=Main] a[href]", "links => links.map(a => a.href)"
    )
    assert menu_links, "the menu offers no page"

    queue = [urldefrag(link)[0] for link in menu_links]
    seen: set[str] = set()
    per_view: Counter[str | None] = Counter()
    visited = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if url in seen or parts.netloc != urlsplit(base).netloc:
            continue
        seen.add(url)
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        view = _view_name(parts.path)
        if per_view[view] >= MAX_PER_VIEW:
            continue
        per_view[view] += 1
        response = page.goto(url)
        visited.append(url)
        status = response.status if response is not None else 0
        if status != 200:
            problems.append(f"{url}: answered {status} to a link the role was offered")
            continue
        problems += _page_problems(page, axe, url)
        # A download link (CSV, HXL) gives a file, not a page: its own tests check it.
        links = page.eval_on_selector_all(
            "main a[href]:not([download])", "links => links.map(a => a.href)"
        )
        queue += [urldefrag(link)[0] for link in links]

    if role in ("commander", "medic"):
        page.goto(f"{base}/")
        page.screenshot(path=str(shots_dir() / f"lifeline-home-{role}-phone.png"), full_page=True)
    assert len(visited) >= len(menu_links) - 1  # every menu page but the API docs
    assert problems == [], "\n".join(problems)
