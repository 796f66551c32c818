"""The main menu: every page a person opens from the header, declared once, grouped by job.

Each entry names the permissions its view (or the selector the view calls) checks, so a role
is offered exactly the pages it may open; `web/tests/test_menu.py` proves both directions for
every role. `menu_for` turns the declaration into what base.html renders for one request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import ResolverMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lifeline.core.services import Actor


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url_name: str
    # Every permission the page needs to answer 200: the ones its view and selectors check.
    perms: tuple[str, ...]
    # Other pages (URL names) reached from this one: while on them, this entry is "current".
    current: tuple[str, ...] = ()

    def is_current(self, view_name: str) -> bool:
        return view_name == self.url_name or view_name in self.current


@dataclass(frozen=True)
class MenuSection:
    label: Promise
    entries: tuple[MenuEntry, ...]


HOME = MenuEntry(_("Home"), "web:home", ("people.view_person",))

SECTIONS: tuple[MenuSection, ...] = (
    MenuSection(
        _("People"),
        (
            MenuEntry(
                _("Registry"),
                "web:person_list",
                ("people.view_person",),
                (
                    "web:person_detail",
                    "web:person_status",
                    "web:person_condition",
                    "web:person_search",
                    "web:person_death",
                    "web:person_merge_undo",
                    "web:person_card",
                    "web:persons_export",
                ),
            ),
            MenuEntry(_("Register"), "web:person_new", ("people.add_person",)),
            MenuEntry(
                _("Households"),
                "web:household_list",
                ("people.view_household",),
                (
                    "web:household_detail",
                    "web:household_new",
                    "web:household_card_issue",
                    "web:household_member",
                    "web:household_card",
                    "web:households_export",
                ),
            ),
            MenuEntry(
                _("Tracing"),
                "web:tracing_list",
                ("people.trace_family",),
                ("web:tracing_detail", "web:tracing_close", "web:tracing_decide"),
            ),
            MenuEntry(
                _("Children's cases"),
                "web:case_list",
                ("people.view_protection",),
                ("web:case_detail", "web:case_close"),
            ),
            MenuEntry(
                _("Duplicates"),
                "web:duplicates",
                ("people.merge_person",),
                ("web:duplicate_merge", "web:duplicate_dismiss"),
            ),
        ),
    ),
    MenuSection(
        _("Operations"),
        (
            MenuEntry(
                _("Alerts"), "web:alerts", (), ("web:alert_acknowledge", "web:alert_resolve")
            ),
            MenuEntry(
                _("Missions"),
                "web:mission_board",
                ("missions.view_mission",),
                (
                    "web:mission_detail",
                    "web:mission_transition",
                    "web:mission_checkin",
                    "web:mission_report_new",
                ),
            ),
            # The planning page lists the team (users) and the vehicles it may send.
            MenuEntry(
                _("Plan a mission"),
                "web:mission_new",
                ("missions.add_mission", "missions.view_vehicle"),
            ),
            MenuEntry(
                _("Map"),
                "web:map",
                ("routing.plan_route", "routing.view_threatzone"),
                ("web:basemap_file",),
            ),
            MenuEntry(
                _("Threats"),
                "intel:groups",
                ("intel.view_hostilegroup", "intel.view_sighting"),
                ("intel:group_detail",),
            ),
            MenuEntry(
                _("Watch"),
                "intel:watch",
                ("intel.view_perimeterlogentry", "intel.view_watchpost"),
            ),
        ),
    ),
    MenuSection(
        _("Care"),
        (
            MenuEntry(
                _("Patients"),
                "care:board",
                ("care.view_medical",),
                (
                    "care:admit",
                    "care:patient",
                    "care:triage",
                    "care:vitals",
                    "care:death",
                    "care:discharge",
                    "treatments:patient",
                ),
            ),
            # The allocation form lists medicines and stores from supplies' selectors.
            MenuEntry(
                _("Scarce medicine"),
                "treatments:allocations",
                ("care.view_medical", "supplies.view_item"),
                ("treatments:allocation",),
            ),
        ),
    ),
    MenuSection(
        _("Supplies"),
        (
            MenuEntry(
                _("Stock"),
                "supplies:stock",
                ("supplies.view_item",),
                ("supplies:item", "supplies:transfer_receive", "supplies:stock_export"),
            ),
            MenuEntry(_("Stock alerts"), "supplies:alerts", ("supplies.view_item",)),
            # The daily jobs; their forms list items and locations from supplies' selectors.
            MenuEntry(
                _("Receive"), "supplies:receive", ("supplies.manage_stock", "supplies.view_item")
            ),
            MenuEntry(
                _("Issue"), "supplies:issue", ("supplies.manage_stock", "supplies.view_item")
            ),
            MenuEntry(
                _("Count"), "supplies:count", ("supplies.manage_stock", "supplies.view_item")
            ),
            MenuEntry(
                _("Transfer"), "supplies:transfer", ("supplies.manage_stock", "supplies.view_item")
            ),
            MenuEntry(
                _("Cold chain"),
                "supplies:cold_chain",
                ("supplies.manage_stock", "supplies.view_item"),
            ),
            MenuEntry(
                _("Distribution points"),
                "supplies:points",
                ("supplies.view_distribution",),
                ("supplies:point", "supplies:distributions_export"),
            ),
        ),
    ),
    MenuSection(
        _("Camp"),
        (
            MenuEntry(
                _("Facilities"),
                "facilities:list",
                ("facilities.view_facility",),
                (
                    "facilities:new",
                    "facilities:detail",
                    "facilities:assess",
                    "facilities:work_new",
                    "facilities:work",
                    "facilities:work_start",
                    "facilities:work_material",
                    "facilities:work_close",
                    "facilities:photo",
                ),
            ),
            MenuEntry(
                _("Watch roster"),
                "facilities:roster",
                ("facilities.view_shift",),
                ("facilities:shift", "facilities:mine"),
            ),
        ),
    ),
    MenuSection(
        _("Site"),
        (
            MenuEntry(
                _("Site settings"),
                "web:site",
                ("core.change_setting",),
                (
                    "web:site_position",
                    "web:site_setting",
                    "web:site_basemap",
                    "web:site_backup",
                    "web:site_lockdown",
                ),
            ),
            MenuEntry(
                _("Sync"),
                "web:sync",
                ("sync.view_peer", "sync.review_conflict"),
                (
                    "web:sync_conflict_resolve",
                    "web:sync_exchange_start",
                    "web:sync_exchange",
                    "web:sync_bundle",
                    "web:sync_bundle_import",
                    "web:sync_radio",
                ),
            ),
            MenuEntry(_("Audit log"), "web:audit", ("core.view_auditentry",)),
            MenuEntry(_("API docs"), "api-docs", ()),
        ),
    ),
)


@dataclass(frozen=True)
class MenuLink:
    label: Promise
    url: str
    current: bool


@dataclass(frozen=True)
class MenuGroup:
    label: Promise
    links: tuple[MenuLink, ...]


@dataclass(frozen=True)
class Menu:
    """What one person's header shows: home, the groups they may open, the page they are on."""

    home: MenuLink
    groups: tuple[MenuGroup, ...]
    current: MenuLink | None

    def links(self) -> list[MenuLink]:
        return [self.home, *(link for group in self.groups for link in group.links)]


def entries_all() -> list[MenuEntry]:
    return [HOME, *(entry for section in SECTIONS for entry in section.entries)]


def entry_allowed(actor: Actor, entry: MenuEntry) -> bool:
    return all(actor.has_perm(perm) for perm in entry.perms)


def menu_for(actor: Actor, match: ResolverMatch | None) -> Menu | None:
    """The menu of a signed-in person, on the page `match` resolved (None: nobody signed in)."""
    if not actor.is_authenticated:
        return None
    view_name = match.view_name if match is not None else ""

    def link(entry: MenuEntry) -> MenuLink:
        return MenuLink(entry.label, reverse(entry.url_name), entry.is_current(view_name))

    groups = []
    for section in SECTIONS:
        links = tuple(link(e) for e in section.entries if entry_allowed(actor, e))
        if links:
            groups.append(MenuGroup(section.label, links))
    menu = Menu(home=link(HOME), groups=tuple(groups), current=None)
    current = next((item for item in menu.links() if item.current), None)
    return Menu(home=menu.home, groups=menu.groups, current=current)
