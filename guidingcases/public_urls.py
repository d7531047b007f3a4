"""The guiding cases on the public portal (/public/guiding-cases/, no sign-in)."""
from django.urls import path

from . import views

app_name = "guidingcases_public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("compilations/<int:pk>.pdf", views.public_compilation, name="compilation"),
]
