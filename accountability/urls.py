from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.ProceedingList.as_view(), name="list"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("new/", views.ProceedingNew.as_view(), name="new"),
    path("<int:pk>/", views.ProceedingDetail.as_view(), name="detail"),
    path("<int:pk>/determine/", views.ProceedingDetermine.as_view(), name="determine"),
    path("<int:pk>/conclude/", views.ProceedingConclude.as_view(), name="conclude"),
    path("<int:pk>/reserve/", views.ProceedingReserve.as_view(), name="reserve"),
]
