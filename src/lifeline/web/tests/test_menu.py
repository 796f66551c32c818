"""The main menu offers each role every page it may open and nothing it would be refused."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import URLPattern, get_resolver, reverse

from lifeline.web.menu import HOME, SECTIONS, entries_all, entry_allowed, menu_for

PAGE_NAMESPACES = ("web", "care", "treatments", "intel", "supplies", "facilities")
NOT_IN_MENU = {"web:login", "web:logout", "web:language"}  # actions of the header

CAST_ROLES = ("commander", "medic", "logistics", "registrar", "protection", "field_team", "viewer")


def _page_names() -> set[str]:
    names = set()
    for namespace in PAGE_NAMESPACES:
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern)
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_page_has_its_place_in_the_menu() -> None:
    """A page reached from another still tells the header which entry it belongs to."""
    placed = {name for e in entries_all() for name in (e.url_name, *e.current)}
    assert _page_names() - NOT_IN_MENU - placed == set()
    assert placed - _page_names() <= {"api-docs"}  # no entry names a page that is gone


def test_no_page_is_current_under_two_entries() -> None:
    names = [name for e in entries_all() for name in (e.url_name, *e.current)]
    assert len(names) == len(set(names))


def test_every_label_is_translatable() -> None:
    from django.utils.functional import Promise

    for section in SECTIONS:
        assert isinstance(section.label, Promise)
        for entry in section.entries:
            assert isinstance(entry.label, Promise), entry.url_name


def test_each_role_may_open_every_page_it_is_offered_and_is_refused_the_others(
    demo_cast: Any,
) -> None:
    """Every entry's permissions are exactly what its page checks: a 200 for a role that holds
    them, a 403 for one that does not."""
    started = time.monotonic()
    wrong = []
    offered_somewhere: set[str] = set()
    for role in CAST_ROLES:
        user = getattr(demo_cast, role)
        client = Client()
        client.force_login(user)
        for entry in entries_all():
            allowed = entry_allowed(user, entry)
            status = client.get(reverse(entry.url_name)).status_code
            if status != (200 if allowed else 403):
                wrong.append((role, entry.url_name, allowed, status))
            if allowed:
                offered_somewhere.add(entry.url_name)
    assert wrong == []
    assert offered_somewhere == {e.url_name for e in entries_all()}
    assert time.monotonic() - started < 120


def test_a_medic_is_offered_care_and_no_register_or_site(demo_cast: Any) -> None:
    menu = menu_for(demo_cast.medic, None)
    assert menu is not None
    labels = {str(g.label): [str(link.label) for link in g.links] for g in menu.groups}
    assert labels["Care"] == ["Patients", "Scarce medicine"]
    assert "Register" not in labels["People"]
    assert "Site settings" not in labels.get("Site", [])


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("web:home", "Home"),
        ("care:board", "Patients"),
        ("treatments:allocations", "Scarce medicine"),
        ("supplies:alerts", "Stock alerts"),
        ("web:site", "Site settings"),
    ],
)
def test_the_page_one_is_on_is_named_beside_the_menu_button_and_marked_current(
    client: Client, commander: Any, url: str, current: str
) -> None:
    client.force_login(commander)
    response = client.get(reverse(url))
    assert response.status_code == 200
    menu = response.context["menu"]
    assert menu.current is not None and str(menu.current.label) == current
    html = response.content.decode()
    assert f'<span class="here">{current}</span>' in html
    assert html.count('aria-current="page"') == 1
    assert f'href="{reverse(url)}" aria-current="page"' in html


def test_a_record_page_marks_the_list_it_belongs_to(client: Client, commander: Any) -> None:
    from lifeline.people.services import household_create

    household = household_create(actor=commander, ration_card="DB-1", shelter="T1", area="A")
    client.force_login(commander)
    response = client.get(reverse("web:household_detail", args=[household.pk]))
    assert str(response.context["menu"].current.label) == "Households"


def test_nobody_signed_in_gets_no_menu(client: Client) -> None:
    response = client.get(reverse("web:login"))
    assert response.context["menu"] is not None  # the lazy object itself
    assert not response.context["menu"]
    assert b'class="menu"' not in response.content


def test_home_is_always_first(commander: Any) -> None:
    menu = menu_for(commander, None)
    assert menu is not None
    assert menu.links()[0].url == reverse(HOME.url_name)


@pytest.mark.parametrize(("count", "shown"), [(None, False), (0, False), (3, True)])
def test_the_alert_count_shows_only_when_some_are_open(
    commander: Any, count: int | None, shown: bool
) -> None:
    request = RequestFactory().get("/")
    request.user = commander
    context: dict[str, Any] = {"user": commander}
    if count is not None:
        context["open_alert_count"] = count
    html = render_to_string("web/base.html", context, request=request)
    assert ('class="alert-count"' in html) is shown
    if shown:
        assert "3 open alerts" in html
