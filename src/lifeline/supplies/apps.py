from django.apps import AppConfig
from django.utils.translation import gettext_noop


class SuppliesConfig(AppConfig):
    name = "lifeline.supplies"
    label = "supplies"
    verbose_name = "Supplies"

    def ready(self) -> None:
        from lifeline.alerts.kinds import AlertKind, alert_kind_declare
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.site_settings import (
            SiteSettingSpec,
            parse_positive_number,
            site_setting_declare,
        )
        from lifeline.supplies import rules
        from lifeline.supplies.roles import ROLE_GRANTS
        from lifeline.supplies.services.arrivals import distributions_arrived, movements_arrived
        from lifeline.supplies.services.ledger import OVERDRAWN_KIND

        site_setting_declare(
            SiteSettingSpec(
                key=rules.SETTING_KCAL,
                meaning=gettext_noop(
                    "kilocalories per person per day, for the days of supply of food"
                ),
                default=f"{rules.SPHERE_KCAL} (the Sphere minimum)",
                parse=parse_positive_number,
                label=gettext_noop("Food per person per day"),
                unit="kcal",
            ),
            SiteSettingSpec(
                key=rules.SETTING_WATER,
                meaning=gettext_noop(
                    "litres of water per person per day, for the days of supply of water"
                ),
                default=f"{rules.SPHERE_WATER_LITRES} (the Sphere minimum)",
                parse=parse_positive_number,
                label=gettext_noop("Water per person per day"),
                unit=gettext_noop("litres"),
            ),
        )
        role_permissions_grant("supplies", ROLE_GRANTS)
        # Stock alerts concern every role today (no permission): the camp's stock is no secret.
        alert_kind_declare(
            AlertKind(
                kind="supplies.below_reorder",
                meaning=gettext_noop("an item's stock at a site is below its reorder level"),
            ),
            AlertKind(
                kind="supplies.stockout_soon",
                meaning=gettext_noop("an item runs out at a site within the horizon"),
            ),
            AlertKind(
                kind="supplies.lot_expiring",
                meaning=gettext_noop("a lot in stock expires within the horizon, or has expired"),
            ),
            AlertKind(
                kind="supplies.cold_chain_excursion",
                meaning=gettext_noop("a fridge or cold box read outside 2-8 °C"),
            ),
            AlertKind(
                kind="supplies.vvm_discard",
                meaning=gettext_noop("a vaccine lot's vial monitor is past the discard point"),
            ),
            AlertKind(
                kind="supplies.double_collection",
                meaning=gettext_noop(
                    "a household collected twice in one period, at two sites or laptops"
                ),
            ),
            AlertKind(
                kind=OVERDRAWN_KIND,
                meaning=gettext_noop(
                    "the sites' ledgers, merged, take more of a lot than there was"
                ),
            ),
        )
        # Rows from another site: balances summed again, double collections found.
        after_apply_register("supplies.movement", movements_arrived)
        after_apply_register("supplies.distribution", distributions_arrived)
