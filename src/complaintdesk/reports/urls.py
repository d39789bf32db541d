from django.urls import path

from complaintdesk.reports import quality_views, views

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
    path("exports/jobs/<int:job_id>/", views.export_job_view, name="export-job"),
    path("exports/jobs/<int:job_id>/status", views.export_job_status_view, name="export-job-status"),
    path("exports/jobs/<int:job_id>/file", views.export_job_file_view, name="export-job-file"),
    path("quality/alerts/", quality_views.alert_group_list_view, name="quality-alerts"),
    path("quality/alerts/<int:group_id>/", quality_views.alert_group_detail_view, name="quality-alert"),
    path("quality/alerts/<int:group_id>/containment", quality_views.alert_containment_view,
         name="quality-alert-containment"),
    path("quality/alerts/<int:group_id>/corrective", quality_views.alert_corrective_view,
         name="quality-alert-corrective"),
    path("quality/alerts/<int:group_id>/close", quality_views.alert_close_view, name="quality-alert-close"),
]
