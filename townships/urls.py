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
    # Also the district government's menu entry 管辖争议裁决 (M15.6).
    path("disputes/", views.DisputeList.as_view(), name="disputes"),
    path("disputes/new/", views.DisputeNew.as_view(), name="dispute_new"),
    path("disputes/<int:pk>/", views.DisputeDetail.as_view(), name="dispute"),
    path("disputes/<int:pk>/transition/", views.DisputeTransition.as_view(),
         name="dispute_transition"),
    path("disputes/<int:pk>/negotiate/", views.DisputeNegotiate.as_view(), name="dispute_negotiate"),
    path("disputes/<int:pk>/decide/", views.DisputeDecide.as_view(), name="dispute_decide"),
    path("info/", views.InfoNoticeList.as_view(), name="info_notices"),
    path("info/new/", views.InfoNoticeNew.as_view(), name="info_notice_new"),
    path("info/<int:pk>/", views.InfoNoticeDetail.as_view(), name="info_notice"),
]
