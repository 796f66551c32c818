from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PeopleConfig(AppConfig):
    name = "lifeline.people"
    label = "people"
    verbose_name = gettext_lazy("People")

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.replication import after_apply_register, after_apply_register_together
        from lifeline.core.roles import role_permissions_grant
        from lifeline.people import arrivals
        from lifeline.people.matching.selectors import duplicates_forget
        from lifeline.people.roles import ROLE_GRANTS

        role_permissions_grant("people", ROLE_GRANTS)
        from lifeline.core.batches import batch_sweeper_register
        from lifeline.people.bulk import BATCH_KIND, import_batch_sweep

        # An import killed before it finished: its rows removed at the next start (core.batches).
        batch_sweeper_register(BATCH_KIND, import_batch_sweep)
        alert_kind_declare(
            AlertKind(
                kind=arrivals.CARD_SHARED_KIND,
                meaning=gettext_lazy(
                    "two households hold one ration card, given at two sites while apart"
                ),
                permission="people.view_household",
            ),
            AlertKind(
                kind=arrivals.CASES_TWICE_KIND,
                meaning=gettext_lazy("a child has two open protection cases, opened at two sites"),
                permission="people.view_protection",
            ),
        )
        # Rows from another site: derived state, the name index and tracing, and the rules
        # that hold across sites (people.arrivals). Households and merges before persons is
        # not needed: each hook reads what it needs.
        # A person's state comes from the person and its status events: derived once per batch.
        after_apply_register_together(
            ("people.person", "people.statusevent"), arrivals.persons_and_events_arrived
        )
        after_apply_register("people.personmerge", arrivals.merges_arrived)
        after_apply_register("people.tracingrequest", arrivals.tracing_requests_arrived)
        after_apply_register("people.household", arrivals.households_arrived)
        after_apply_register("people.protectioncase", arrivals.protection_cases_arrived)
        # Persons, moves and decisions from another site carry that site's clock, which may be
        # behind ours: the duplicates queue starts again rather than trust its last run.
        for label in ("people.person", "people.statusevent", "people.duplicatedecision"):
            after_apply_register(label, duplicates_forget)
