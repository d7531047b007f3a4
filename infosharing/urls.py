from django.urls import path

from . import views

app_name = "infosharing"

urlpatterns = [
    path("channels/", views.ChannelList.as_view(), name="channels"),
    path("channels/save/", views.ChannelSave.as_view(), name="channel_save"),
    path("inspections/", views.InspectionList.as_view(), name="inspections"),
    path("inspections/new/", views.InspectionNew.as_view(), name="inspection_new"),
    path("inspections/<int:pk>/", views.InspectionDetail.as_view(), name="inspection"),
    path("inspections/<int:pk>/transition/", views.InspectionTransition.as_view(),
         name="inspection_transition"),
    path("inspections/<int:pk>/review/", views.InspectionReview.as_view(), name="inspection_review"),
    path("inspections/<int:pk>/circulate/", views.InspectionCirculate.as_view(),
         name="inspection_circulate"),
    path("results/<int:pk>/", views.ResultDetail.as_view(), name="result"),
    path("results/<int:pk>/check/", views.ResultCheck.as_view(), name="result_check"),
    path("statistics/", views.RequestList.as_view(), name="requests"),
    path("statistics/new/", views.RequestNew.as_view(), name="request_new"),
    path("statistics/<int:pk>/", views.RequestDetail.as_view(), name="statistics"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report"),
    path("reports/<int:pk>/submit/", views.ReportSubmit.as_view(), name="report_submit"),
    path("queries/", views.QueryList.as_view(), name="queries"),
    path("queries/new/", views.QueryNew.as_view(), name="query_new"),
    path("queries/<int:pk>/", views.QueryDetail.as_view(), name="query"),
    path("queries/<int:pk>/answer/", views.QueryAnswer.as_view(), name="query_answer"),
]
