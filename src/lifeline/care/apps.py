from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "lifeline.care"
    label = "care"
    verbose_name = "Care"
