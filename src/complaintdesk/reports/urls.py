from django.urls import path

from complaintdesk.reports import views

urlpatterns = [
    path("reports/", views.report_monthly_view, name="report-monthly"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.dashboard_export_view, name="dashboard-export"),
]
