from django.urls import path

from complaintdesk.quality import views

urlpatterns = [
    path("quality/alerts/", views.alert_group_list_view, name="quality-alerts"),
    path("quality/alerts/<int:group_id>/", views.alert_group_detail_view, name="quality-alert"),
    path("quality/alerts/<int:group_id>/containment", views.alert_containment_view, name="quality-alert-containment"),
    path("quality/alerts/<int:group_id>/corrective", views.alert_corrective_view, name="quality-alert-corrective"),
    path("quality/alerts/<int:group_id>/close", views.alert_close_view, name="quality-alert-close"),
]
