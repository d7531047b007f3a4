from django.urls import path

from . import views

app_name = "discipline"

urlpatterns = [
    path("", views.referral_index, name="list"),
    path("accountability/", views.accountability, name="accountability"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/leads/", views.referral_write, name="write"),
    path("<int:pk>/decision/", views.referral_decision, name="decision"),
    path("<int:pk>/<str:step>/", views.referral_step, name="step"),
]
