from django.urls import path

from . import views

app_name = "townships"

urlpatterns = [
    path("", views.home, name="home"),
    path("transfers/new/", views.transfer_create, name="transfer_create"),
    path("dissuasions/<int:pk>/", views.dissuasion_detail, name="dissuasion_detail"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("assistance/<int:pk>/", views.assistance_detail, name="assistance_detail"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("info/<int:pk>/", views.info_detail, name="info_detail"),
    # The district government's entry (M15.6): the disputes brought to it.
    path("disputes/", views.section_list, {"key": "disputes"}, name="disputes"),
    path("<str:key>/", views.section_list, name="section_list"),
    path("<str:key>/new/", views.section_create, name="section_create"),
    path("<str:key>/<int:pk>/view/", views.section_detail, name="detail"),
    path("<str:key>/<int:pk>/action/", views.section_action, name="action"),
]
