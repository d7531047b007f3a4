from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingList.as_view(), name="list"),
    path("bodies/<int:pk>/", views.BodyDetail.as_view(), name="body"),
    path("bodies/<int:body_id>/new/", views.MeetingNew.as_view(), name="new"),
    path("bodies/<int:body_id>/propose/", views.ProposalNew.as_view(), name="propose"),
    path("bodies/<int:body_id>/liaison/", views.LiaisonName.as_view(), name="liaison_name"),
    path("liaisons/", views.LiaisonList.as_view(), name="liaisons"),
    path("proposals/", views.ProposalList.as_view(), name="proposals"),
    path("proposals/<int:pk>/", views.ProposalDetail.as_view(), name="proposal"),
    path("proposals/<int:pk>/accept/", views.ProposalAccept.as_view(), name="proposal_accept"),
    path("proposals/<int:pk>/transition/", views.ProposalTransition.as_view(),
         name="proposal_transition"),
    path("<int:pk>/", views.MeetingDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.MeetingTransition.as_view(), name="transition"),
    path("<int:pk>/agenda/", views.AgendaAdd.as_view(), name="agenda_add"),
    path("<int:pk>/agenda/remove/", views.AgendaRemove.as_view(), name="agenda_remove"),
    path("<int:pk>/held/", views.MeetingHeld.as_view(), name="held"),
    path("<int:pk>/resolutions/new/", views.ResolutionNew.as_view(), name="resolution_new"),
    path("resolutions/", views.ResolutionList.as_view(), name="resolutions"),
    path("resolutions/<int:pk>/", views.ResolutionDetail.as_view(), name="resolution"),
    path("assignments/<int:pk>/report/", views.AssignmentReport.as_view(), name="report"),
    path("assignments/<int:pk>/transition/", views.AssignmentTransition.as_view(),
         name="assignment_transition"),
    path("assignments/<int:pk>/send-back/", views.AssignmentSendBack.as_view(), name="send_back"),
]
