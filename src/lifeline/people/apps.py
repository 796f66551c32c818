from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lifeline.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from lifeline.core.replication import after_apply_register
        from lifeline.core.roles import role_permissions_grant
        from lifeline.people.matching.selectors import duplicates_forget
        from lifeline.people.roles import ROLE_GRANTS

        role_permissions_grant("people", ROLE_GRANTS)
        # Persons, moves and decisions from another site carry that site's clock, which may be
        # behind ours: the duplicates queue starts again rather than trust its last run.
        for label in ("people.person", "people.statusevent", "people.duplicatedecision"):
            after_apply_register(label, duplicates_forget)
