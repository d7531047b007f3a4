from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("case/<int:case_id>/", views.case_evidence, name="case"),
    path("case/<int:case_id>/add/<str:kind>/", views.evidence_add, name="add"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/edit/", views.evidence_edit, name="edit"),
    path("<int:pk>/upload/", views.evidence_upload, name="upload"),
    path("<int:pk>/remove/", views.evidence_remove, name="remove"),
]
