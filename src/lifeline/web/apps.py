from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lifeline.web"
    label = "web"
    verbose_name = "Web pages"
