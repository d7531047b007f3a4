from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseList.as_view(), name="list"),
    path("new/", views.CaseRegister.as_view(), name="register"),
    path("<int:pk>/", views.CaseDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CaseEdit.as_view(), name="edit"),
    path("<int:pk>/transition/", views.CaseTransition.as_view(), name="transition"),
    path("<int:pk>/decision/", views.CaseDecision.as_view(), name="decision"),
    path("<int:pk>/publicity/", views.CasePublicity.as_view(), name="publicity"),
    path("<int:pk>/parties/new/", views.PartyAdd.as_view(), name="party_add"),
    path("parties/<int:pk>/edit/", views.PartyEdit.as_view(), name="party_edit"),
    path("parties/<int:pk>/remove/", views.PartyRemove.as_view(), name="party_remove"),
]
