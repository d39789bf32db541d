from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "complaintdesk.core"
    label = "core"
    verbose_name = "complaintdesk core"
