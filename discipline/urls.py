from django.urls import path

from . import views

app_name = "discipline"

urlpatterns = [
    path("", views.ReferralList.as_view(), name="list"),
    path("accountability/", views.AccountabilityLeads.as_view(), name="accountability"),
    path("<int:pk>/", views.ReferralDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.ReferralTransition.as_view(), name="transition"),
    path("<int:pk>/leads/", views.ReferralWrite.as_view(), name="write"),
    path("<int:pk>/decision/", views.ReferralDecision.as_view(), name="decision"),
    path("<int:pk>/seal/", views.ReferralSeal.as_view(), name="seal"),
]
