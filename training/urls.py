from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.SessionList.as_view(), name="list"),
    path("new/", views.SessionNew.as_view(), name="new"),
    path("hours/", views.HoursList.as_view(), name="hours"),
    path("<int:pk>/", views.SessionDetail.as_view(), name="detail"),
    path("<int:pk>/attendees/", views.AttendeesAdd.as_view(), name="attendees_add"),
    path("<int:pk>/import/", views.AttendeesImport.as_view(), name="attendees_import"),
    path("attendees/<int:pk>/remove/", views.AttendeeRemove.as_view(), name="attendee_remove"),
]
