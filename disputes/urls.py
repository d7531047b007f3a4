from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.DisputeList.as_view(), name="list"),
    # The district government's menu entry (M2.4, M15.6).
    path("rulings/", views.RulingList.as_view(), name="rulings"),
    path("new/", views.DisputeNew.as_view(), name="new"),
    path("<int:pk>/", views.DisputeDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.DisputeTransition.as_view(), name="transition"),
    path("<int:pk>/negotiation/", views.NegotiationAdd.as_view(), name="negotiation_add"),
    path("<int:pk>/negotiation/remove/", views.NegotiationRemove.as_view(), name="negotiation_remove"),
    path("<int:pk>/opinions/", views.OpinionRequest.as_view(), name="opinion_request"),
    path("<int:pk>/meetings/", views.MeetingAdd.as_view(), name="meeting_add"),
    path("<int:pk>/agreement/", views.AgreementNew.as_view(), name="agreement"),
    path("<int:pk>/recommendation/", views.RecommendationNew.as_view(), name="recommendation"),
    path("<int:pk>/ruling/", views.RulingNew.as_view(), name="ruling"),
    path("parties/<int:pk>/", views.party_page, name="party"),
    path("parties/<int:pk>/opinion/", views.OpinionSubmit.as_view(), name="opinion"),
    path("parties/<int:pk>/confirm/", views.AgreementConfirm.as_view(), name="confirm"),
    path("parties/<int:pk>/implementation/", views.ImplementationReport.as_view(), name="implementation"),
]
