from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lifeline.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from lifeline.core.roles import role_permissions_grant
        from lifeline.people.roles import ROLE_GRANTS

        role_permissions_grant("people", ROLE_GRANTS)
