from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "lifeline.supplies"
    label = "supplies"
    verbose_name = "Supplies"
