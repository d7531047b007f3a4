from django.urls import path

from . import views

app_name = "jointcases"

urlpatterns = [
    path("", views.OperationList.as_view(), name="list"),
    path("new/", views.OperationNew.as_view(), name="new"),
    path("<int:pk>/", views.OperationDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.OperationTransition.as_view(), name="transition"),
    path("<int:pk>/plans/", views.PlansEdit.as_view(), name="plans"),
    path("<int:pk>/consultations/new/", views.ConsultationNew.as_view(), name="consult"),
    path("<int:pk>/cases/", views.CaseLink.as_view(), name="link_case"),
    path("<int:pk>/close/", views.OperationClose.as_view(), name="close"),
    path("participants/<int:pk>/confirm/", views.ParticipantConfirm.as_view(), name="confirm"),
    path("tasks/", views.TaskList.as_view(), name="tasks"),
    path("tasks/new/", views.TaskNew.as_view(), name="task_new"),
    path("tasks/<int:pk>/", views.TaskDetail.as_view(), name="task"),
    path("tasks/<int:pk>/transition/", views.TaskTransition.as_view(), name="task_transition"),
    path("tasks/<int:pk>/report/", views.TaskReport.as_view(), name="task_report"),
]
