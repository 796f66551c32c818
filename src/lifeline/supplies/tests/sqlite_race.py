"""Eight processes issuing the same ration cards at once on one SQLite file, as eight
distribution-point screens would: run by test_rations_sqlite_race.py in a process of its own.

    python -m lifeline.supplies.tests.sqlite_race VAR_DIR

The database is a file under VAR_DIR (the test suite's own SQLite database is in memory and
cannot be shared between processes), so the issues go through the group commit exactly as in
the field. Prints one JSON line: what the processes were told and what the database holds.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import sys
from decimal import Decimal
from typing import Any

PROCESSES = 8
CARDS = 24


def _set_up() -> dict[str, Any]:
    from django.contrib.auth.models import Group, User

    from lifeline.core.clock import site_local
    from lifeline.core.roles import Role
    from lifeline.core.services import roles_sync
    from lifeline.people import services as people
    from lifeline.supplies import services

    roles_sync()
    site = site_local()
    user = User.objects.create_user(username="race-logistics")
    user.groups.add(Group.objects.get(name=Role.LOGISTICS.value))
    registrar = User.objects.create_user(username="race-registrar")
    registrar.groups.add(Group.objects.get(name=Role.REGISTRAR.value))
    store = services.location_create(actor=user, code="store", name="Main store", site=site)
    flour = services.item_create(actor=user, code="flour", name="Wheat flour", unit="kg")
    for batch, expiry in (("early", dt.date(2031, 1, 1)), ("late", dt.date(2032, 1, 1))):
        # The early lot runs out part-way: issues then draw on both lots.
        quantity = Decimal(40) if batch == "early" else Decimal(1000)
        services.stock_receive(
            actor=user, location=store, item=flour, quantity=quantity, batch=batch,
            expiry_date=expiry,
        )  # fmt: skip
    cycle = services.ration_cycle_create(
        actor=user,
        site=site,
        name="Cycle 1",
        starts_on=dt.date(2030, 3, 1),
        ends_on=dt.date(2030, 3, 14),
        basket=[{"item": "flour", "per_person": "3"}],
    )
    point = services.distribution_point_create(
        actor=user, site=site, name="Mess hall", location=store
    )
    cards = [f"RC-{n:03d}" for n in range(CARDS)]
    for card in cards:
        household = people.household_create(actor=registrar, ration_card=card, site=site)
        people.person_register(
            actor=registrar, given_name="Member", family_name=card, household=household,
            status="present", site=site,
        )  # fmt: skip
    return {"user": user.pk, "cycle": cycle.pk, "point": point.pk, "cards": cards}


def _client(setup: dict[str, Any], start: Any, out: Any) -> None:
    from django.contrib.auth.models import User

    from lifeline.core.errors import Conflict
    from lifeline.supplies import services
    from lifeline.supplies.models import DistributionPoint, RationCycle

    actor = User.objects.get(pk=setup["user"])
    cycle = RationCycle.objects.get(pk=setup["cycle"])
    point = DistributionPoint.objects.select_related("location", "site").get(pk=setup["point"])
    issued, refused = [], 0
    start.wait()
    for card in setup["cards"]:
        try:
            services.ration_issue(actor=actor, point=point, cycle=cycle, ration_card=card)
            issued.append(card)
        except Conflict:
            refused += 1
    out.put((issued, refused))


def main(var_dir: str) -> None:
    os.environ["LIFELINE_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from lifeline.supplies.models import Distribution, Item, Movement
    from lifeline.supplies.selectors import on_hand_from_ledger, on_hand_total

    call_command("migrate", verbosity=0, interactive=False)
    setup = _set_up()
    connections.close_all()  # each forked process opens its own connection
    ctx = mp.get_context("fork")
    start, out = ctx.Barrier(PROCESSES), ctx.Queue()
    processes = [ctx.Process(target=_client, args=(setup, start, out)) for _ in range(PROCESSES)]
    for p in processes:
        p.start()
    results = [out.get(timeout=120) for _ in processes]
    for p in processes:
        p.join()
    flour = Item.objects.get(code="flour")
    issued = [card for cards, _ in results for card in cards]
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "told_issued": len(issued),
                "distinct_cards_issued": len(set(issued)),
                "told_refused": sum(r for _, r in results),
                "distribution_rows": Distribution.objects.count(),
                "ration_movements": Movement.objects.filter(kind="ration").count(),
                "on_hand": str(on_hand_total(item=flour)),
                "on_hand_from_ledger": str(on_hand_from_ledger(item=flour)),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
