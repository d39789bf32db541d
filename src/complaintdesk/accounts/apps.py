from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "complaintdesk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # imported here, not at the top: these modules load models, which needs the app registry
        # that Django has filled only when it calls ready()
        from complaintdesk.accounts.services import departments_sync
        from complaintdesk.core.policies import install_hook

        install_hook(departments_sync)
        from complaintdesk.accounts import preferences  # noqa: F401  (connects the sign-in language)
