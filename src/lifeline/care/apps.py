from django.apps import AppConfig
from django.utils.translation import gettext_lazy, gettext_noop


class CareConfig(AppConfig):
    name = "lifeline.care"
    label = "care"
    verbose_name = gettext_lazy("Care")

    def ready(self) -> None:
        from lifeline.care import allocation, arrivals
        from lifeline.care.roles import ROLE_GRANTS
        from lifeline.care.services import RETRIAGE_MINUTES_DEFAULT, RETRIAGE_SETTING
        from lifeline.care.treatments.services import SETTING_STORE
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant
        from lifeline.core.site_settings import (
            SiteSettingSpec,
            parse_code,
            parse_minutes_by,
            parse_positive_int,
            parse_yes_no,
            site_setting_declare,
            value_text,
        )

        site_setting_declare(
            SiteSettingSpec(
                key=RETRIAGE_SETTING,
                meaning=gettext_noop("minutes until a patient of a category is triaged again"),
                default=value_text(RETRIAGE_MINUTES_DEFAULT),
                parse=parse_minutes_by(RETRIAGE_MINUTES_DEFAULT),
                label=gettext_noop("Triage again after"),
                unit=gettext_noop("minutes, by category (immediate=15, delayed=60)"),
            ),
            SiteSettingSpec(
                key=SETTING_STORE,
                meaning=gettext_noop(
                    "the store (its code) that doses come from when a course names none"
                ),
                default=gettext_noop(
                    "the site's only store; with several, each course names its store"
                ),
                parse=parse_code,
                label=gettext_noop("Doses come from the store"),
                unit=gettext_noop("the store's code"),
            ),
            SiteSettingSpec(
                key=allocation.SETTING_CHILDREN_FIRST,
                meaning=gettext_noop(
                    "scarce medicine goes to children first within a triage category"
                ),
                default="no",
                parse=parse_yes_no,
                label=gettext_noop("Scarce medicine to children first"),
                unit=gettext_noop("yes or no"),
            ),
            SiteSettingSpec(
                key=allocation.SETTING_CHILD_AGE_BELOW,
                meaning=gettext_noop(
                    "the age (years) below which a patient counts as a child there"
                ),
                default=str(allocation.CHILD_AGE_BELOW),
                parse=parse_positive_int,
                label=gettext_noop("Children are those under"),
                unit=gettext_noop("years"),
            ),
        )
        role_permissions_grant("care", ROLE_GRANTS)
        # Rows from another site: the board's cached triage derived again.
        after_apply_register("care.patient", arrivals.patients_triage_refresh)
        after_apply_register("care.triageassessment", arrivals.assessments_arrived)
