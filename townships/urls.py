from django.urls import path  # noqa: F401

app_name = "townships"

urlpatterns: list = []
