from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("audit/", views.event_list, name="event_list"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
]
