from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("case/<int:case_id>/", views.CaseEvidence.as_view(), name="case"),
    path("case/<int:case_id>/add/<str:kind>/", views.EvidenceAdd.as_view(), name="add"),
    path("<int:pk>/", views.EvidenceDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EvidenceEdit.as_view(), name="edit"),
    path("<int:pk>/upload/", views.EvidenceUpload.as_view(), name="upload"),
    path("<int:pk>/remove/", views.EvidenceRemove.as_view(), name="remove"),
]
