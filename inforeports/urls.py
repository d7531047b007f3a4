from django.urls import path

from . import views

app_name = "inforeports"

urlpatterns = [
    path("", views.ReportList.as_view(), name="list"),
    path("new/", views.ReportNew.as_view(), name="new"),
    path("monthly/", views.MonthlyTable.as_view(), name="monthly"),
    path("<int:pk>/", views.ReportDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.ReportTransition.as_view(), name="transition"),
]
