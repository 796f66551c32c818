from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "lifeline.routing"
    label = "routing"
    verbose_name = "Road graph and safest routes"
