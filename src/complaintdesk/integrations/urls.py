from django.urls import path

from complaintdesk.integrations import views

urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("import/jobs/<int:job_id>/", views.import_job_view, name="import-job"),
    path("import/jobs/<int:job_id>/status", views.import_job_status_view, name="import-job-status"),
    path("import/jobs/<int:job_id>/report", views.import_report_view, name="import-report"),
]
