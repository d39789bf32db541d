from django.urls import path

from complaintdesk.integrations import views

urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("import/report/<str:token>/", views.import_report_view, name="import-report"),
]
