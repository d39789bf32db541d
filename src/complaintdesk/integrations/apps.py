from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "complaintdesk.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from complaintdesk.core import events
        from complaintdesk.integrations import timeline, webhooks

        events.subscribe(webhooks.on_event)
        timeline.register()
