from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "complaintdesk.units"
    label = "units"
    verbose_name = _("Organisation units")

    def ready(self) -> None:
        from complaintdesk.core import nav
        from complaintdesk.units.views import may_manage_units

        nav.register(nav.NavItem(92, _("Units"), "units", may_manage_units, "nav-units"))
