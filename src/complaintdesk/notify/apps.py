from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "complaintdesk.notify"
    label = "notify"
    verbose_name = "Notifications"
