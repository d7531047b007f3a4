from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_register, name="register"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
    path("<int:pk>/decision/", views.case_decision, name="decision"),
    path("<int:pk>/publicity/", views.case_publicity, name="publicity"),
    path("<int:pk>/parties/new/", views.party_add, name="party_add"),
    path("parties/<int:pk>/edit/", views.party_edit, name="party_edit"),
    path("parties/<int:pk>/remove/", views.party_remove, name="party_remove"),
]
