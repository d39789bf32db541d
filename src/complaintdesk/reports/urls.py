from django.urls import path

from complaintdesk.reports import views

urlpatterns = [
    path("reports/", views.report_monthly_view, name="report-monthly"),
]
