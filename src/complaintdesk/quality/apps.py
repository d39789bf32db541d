from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "complaintdesk.quality"
    label = "quality"
    verbose_name = "Batch quality alerts"
    # the alert groups' rules, pages and watchers live in complaintdesk.reports.quality (a floor up)
