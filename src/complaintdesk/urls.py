"""Web routes: staff pages at /, the REST API at /api/v1/, the admin, health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from complaintdesk.accounts import views as account_views
from complaintdesk.accounts.login import ThrottledAuthenticationForm
from complaintdesk.api import api
from complaintdesk.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html",
                                                authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set-language"),
    path("profile/", account_views.profile_view, name="profile"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", core_views.home, name="home"),
    path("", include("complaintdesk.console.urls")),
    path("", include("complaintdesk.complaints.urls")),
    path("", include("complaintdesk.resolutions.urls")),
    path("", include("complaintdesk.followup.urls")),
    path("", include("complaintdesk.reports.urls")),
    path("integrations/", include("complaintdesk.integrations.urls")),
    path("", include("complaintdesk.notify.urls")),
    path("", include("complaintdesk.portal.urls")),
    path("", include("complaintdesk.transfers.urls")),
    path("", include("complaintdesk.knowledge.urls")),
    path("", include("complaintdesk.units.urls")),
    path("", include("complaintdesk.privacy.urls")),
]
