from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.AppraisalList.as_view(), name="list"),
    path("new/", views.AppraisalNew.as_view(), name="new"),
    path("<int:pk>/", views.AppraisalDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.AppraisalTransition.as_view(), name="transition"),
    path("<int:pk>/items/new/", views.ItemNew.as_view(), name="item_new"),
    path("<int:pk>/units/<int:unit_id>/", views.UnitSheet.as_view(), name="unit"),
    path("items/<int:pk>/edit/", views.ItemEdit.as_view(), name="item_edit"),
    path("items/<int:pk>/remove/", views.ItemRemove.as_view(), name="item_remove"),
    path("items/<int:pk>/units/<int:unit_id>/score/", views.ScoreEdit.as_view(), name="score"),
    path("results/<int:pk>/honour/", views.ResultHonour.as_view(), name="honour"),
    path("reversals/", views.ReversalList.as_view(), name="reversals"),
    path("reversals/new/", views.ReversalNew.as_view(), name="reversal_new"),
    path("self-assessments/", views.SelfAssessmentList.as_view(), name="self_assessments"),
    path("self-assessments/<int:year>/edit/", views.SelfAssessmentEdit.as_view(), name="self_assessment_edit"),
    path("self-assessments/<int:pk>/", views.SelfAssessmentDetail.as_view(), name="self_assessment"),
    path("self-assessments/<int:pk>/transition/", views.SelfAssessmentTransition.as_view(),
         name="self_assessment_transition"),
    path("officer-evaluations/", views.EvaluationList.as_view(), name="officer_evaluations"),
    path("officer-evaluations/new/", views.EvaluationNew.as_view(), name="evaluation_new"),
    path("officer-evaluations/<int:pk>/", views.EvaluationDetail.as_view(), name="officer_evaluation"),
    path("officer-evaluations/<int:pk>/grades/", views.EvaluationGrade.as_view(), name="evaluation_grade"),
    path("officer-evaluations/<int:pk>/transition/", views.EvaluationTransition.as_view(),
         name="evaluation_transition"),
    path("officers/<int:pk>/", views.OfficerHistory.as_view(), name="officer"),
    path("implementation/", views.ImplementationList.as_view(), name="implementation"),
    path("implementation/<int:pk>/", views.ImplementationUnit.as_view(), name="implementation_unit"),
    path("implementation/<int:pk>/notice/", views.ImplementationNotice.as_view(),
         name="implementation_notice"),
    path("public/", views.public_results, name="public"),
    path("public/self-assessments/<int:pk>/", views.public_self_assessment, name="public_self_assessment"),
]
