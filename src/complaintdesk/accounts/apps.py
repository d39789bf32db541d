from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "complaintdesk.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from complaintdesk.accounts import preferences  # noqa: F401  (connects the sign-in language)
