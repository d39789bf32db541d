from django.urls import path

from complaintdesk.transfers import views

urlpatterns = [
    path("transfers/new/", views.transfer_register_view, name="transfer-register"),
    path("complaints/<str:number>/transfer/", views.transfer_record_view, name="transfer-record"),
]
