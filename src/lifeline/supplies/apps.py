from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "lifeline.supplies"
    label = "supplies"
    verbose_name = "Supplies"

    def ready(self) -> None:
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.site_settings import (
            SiteSettingSpec,
            parse_positive_number,
            site_setting_declare,
        )
        from lifeline.supplies import rules
        from lifeline.supplies.roles import ROLE_GRANTS

        site_setting_declare(
            SiteSettingSpec(
                key=rules.SETTING_KCAL,
                meaning="kilocalories per person per day, for the days of supply of food",
                default=f"{rules.SPHERE_KCAL} (the Sphere minimum)",
                parse=parse_positive_number,
            ),
            SiteSettingSpec(
                key=rules.SETTING_WATER,
                meaning="litres of water per person per day, for the days of supply of water",
                default=f"{rules.SPHERE_WATER_LITRES} (the Sphere minimum)",
                parse=parse_positive_number,
            ),
        )
        role_permissions_grant("supplies", ROLE_GRANTS)
