from django.urls import path

from . import views

app_name = "townships"

urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    path("transfers/new/", views.TownshipTransferNew.as_view(), name="transfer_new"),
    path("dissuasions/", views.DissuasionList.as_view(), name="dissuasions"),
    path("dissuasions/new/", views.DissuasionNew.as_view(), name="dissuasion_new"),
    path("dissuasions/<int:pk>/", views.DissuasionDetail.as_view(), name="dissuasion"),
    path("consultations/", views.ConsultationList.as_view(), name="consultations"),
    path("consultations/new/", views.ConsultationNew.as_view(), name="consultation_new"),
    path("consultations/<int:pk>/", views.ConsultationDetail.as_view(), name="consultation"),
    path("consultations/<int:pk>/conclude/", views.ConsultationConclude.as_view(),
         name="consultation_conclude"),
    path("info/", views.InfoNoticeList.as_view(), name="info_notices"),
    path("info/new/", views.InfoNoticeNew.as_view(), name="info_notice_new"),
    path("info/<int:pk>/", views.InfoNoticeDetail.as_view(), name="info_notice"),
]
