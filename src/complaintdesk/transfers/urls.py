from django.urls import path

from complaintdesk.transfers import views

urlpatterns = [
    path("complaints/<str:number>/transfer/", views.transfer_record_view, name="transfer-record"),
]
