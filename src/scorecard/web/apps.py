from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "scorecard.web"
    label = "scorecard_web"
    verbose_name = "Policing Scorecard"
