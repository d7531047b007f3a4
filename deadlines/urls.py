from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.DeadlineList.as_view(), name="list"),
    path("<int:pk>/", views.DeadlineDetail.as_view(), name="detail"),
    path("<int:pk>/waive/", views.DeadlineWaive.as_view(), name="waive"),
    path("<int:pk>/extend/", views.DeadlineExtend.as_view(), name="extend"),
    path("<int:pk>/extension-request/", views.ExtensionRequestPage.as_view(), name="extension_request"),
    path("extension-requests/<int:pk>/decide/", views.ExtensionDecide.as_view(), name="extension_decide"),
    path("inbox/", views.Inbox.as_view(), name="inbox"),
    path("inbox/read-all/", views.InboxReadAll.as_view(), {"pk": None}, name="inbox_read_all"),
    path("inbox/<int:pk>/open/", views.NotificationOpen.as_view(), name="notification_open"),
    path("inbox/<int:pk>/read/", views.NotificationRead.as_view(), name="notification_read"),
    path("feed/reset/", views.CalendarFeedReset.as_view(), {"pk": None}, name="ical_feed_reset"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
