from django.urls import path

from . import exports, views

app_name = "core"

urlpatterns = [
    path("audit/", views.EventList.as_view(), name="event_list"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("exports/start/", exports.export_start, name="export_start"),
    path("exports/<int:pk>/", exports.export_job, name="export_job"),
    path("exports/<int:pk>/status/", exports.export_job_status, name="export_job_status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
