from django.urls import path

from complaintdesk.reports import views

urlpatterns = [
    path("reports/", views.report_monthly_view, name="report-monthly"),
    path("reports/accountability/", views.accountability_view, name="report-accountability"),
    path("portal/results/", views.public_results_view, name="public-results"),
    path("reports/regulator/fca-disp.csv", views.fca_disp_view, name="report-fca-disp"),
    path("reports/regulator/cfpb.csv", views.cfpb_view, name="report-cfpb"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.dashboard_export_view, name="dashboard-export"),
    path("exports/complaints.<slug:fmt>", views.complaint_export_view, name="complaint-export"),
    path("exports/queues/<slug:kind>.<slug:fmt>", views.queue_export_view, name="queue-export"),
]
