from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "complaintdesk.followup"
    label = "followup"
    verbose_name = "Follow-up"
