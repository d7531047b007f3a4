from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintList.as_view(), name="list"),
    path("new/", views.ComplaintNew.as_view(), name="new"),
    path("import/", views.ComplaintImport.as_view(), name="import"),
    path("<int:pk>/", views.ComplaintDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.ComplaintTransition.as_view(), name="transition"),
    path("<int:pk>/transfer/", views.ComplaintTransfer.as_view(), name="transfer"),
    path("<int:pk>/answer/", views.ComplaintAnswer.as_view(), name="answer"),
    path("<int:pk>/archive/", views.ComplaintArchive.as_view(), name="archive"),
    path("<int:pk>/extend/", views.ComplaintExtend.as_view(), name="extend"),
    path("<int:pk>/investigation/", views.InvestigationRequest.as_view(), name="investigation"),
    path("<int:pk>/files/", views.ComplaintFilesAdd.as_view(), name="files_add"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("channels/", views.ChannelList.as_view(), name="channels"),
    path("channels/edit/", views.ChannelEdit.as_view(), name="channel_edit"),
    path("assistance/", views.AssistanceList.as_view(), name="assistance_list"),
    path("assistance/new/", views.AssistanceNew.as_view(), name="assistance_new"),
    path("assistance/<int:pk>/", views.AssistanceDetail.as_view(), name="assistance"),
    path("assistance/<int:pk>/transition/", views.AssistanceTransition.as_view(),
         name="assistance_transition"),
    path("assistance/<int:pk>/reply/", views.AssistanceReply.as_view(), name="assistance_reply"),
]
