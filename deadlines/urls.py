from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("<int:pk>/", views.deadline_detail, name="detail"),
    path("<int:pk>/waive/", views.deadline_waive, name="waive"),
    path("<int:pk>/extend/", views.deadline_extend, name="extend"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("inbox/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("feed/reset/", views.ical_feed_reset, name="ical_feed_reset"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
