from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "complaintdesk.security"
    label = "security"
    verbose_name = "complaintdesk security"
