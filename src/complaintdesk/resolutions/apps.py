from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    name = "complaintdesk.resolutions"
    label = "resolutions"
    verbose_name = "Resolutions"
