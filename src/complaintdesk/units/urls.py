from django.urls import path

from complaintdesk.units import views

urlpatterns = [
    path("units/", views.units_view, name="units"),
]
