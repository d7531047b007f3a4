from django.urls import path

from . import views

app_name = "guidingcases"

urlpatterns = [
    path("", views.GuidingCaseList.as_view(), name="list"),
    path("nominate/", views.GuidingCaseNominate.as_view(), name="nominate"),
    path("propose/", views.GuidingCasePropose.as_view(), name="propose"),
    path("compilation/", views.CompilationIssue.as_view(), name="compilation"),
    path("<int:pk>/", views.GuidingCaseDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.GuidingCaseEdit.as_view(), name="edit"),
    path("<int:pk>/transition/", views.GuidingCaseTransition.as_view(), name="transition"),
    path("<int:pk>/invite/", views.ExpertInvite.as_view(), name="invite"),
    path("<int:pk>/publish/", views.GuidingCasePublish.as_view(), name="publish"),
    path("opinions/<int:pk>/", views.OpinionSubmit.as_view(), name="opinion"),
]
