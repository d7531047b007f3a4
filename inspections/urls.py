from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.CheckList.as_view(), name="list"),
    path("new/", views.CheckNew.as_view(), name="new"),
    path("<int:pk>/", views.CheckDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CheckEdit.as_view(), name="edit"),
    path("<int:pk>/transition/", views.CheckTransition.as_view(), name="transition"),
    path("<int:pk>/findings/new/", views.FindingAdd.as_view(), name="finding_add"),
    path("<int:pk>/bulletin/", views.BulletinIssue.as_view(), name="bulletin"),
    path("<int:pk>/reviews/new/", views.ReviewDraw.as_view(), name="review_draw"),
    path("units/<int:pk>/materials/", views.MaterialsProvide.as_view(), name="materials"),
    path("units/<int:pk>/instrument/", views.InstrumentIssue.as_view(), name="instrument"),
    path("reviews/", views.ReviewList.as_view(), name="reviews"),
    path("reviews/<int:pk>/", views.ReviewDetail.as_view(), name="review"),
    path("reviews/<int:pk>/transition/", views.ReviewTransition.as_view(), name="review_transition"),
    path("reviews/<int:pk>/finding/", views.ReviewToFinding.as_view(), name="review_finding"),
    path("review-files/<int:pk>/", views.ReviewFileScore.as_view(), name="review_file"),
    path("leads/", views.LeadList.as_view(), name="leads"),
    path("leads/<int:pk>/", views.LeadDetail.as_view(), name="lead"),
    path("leads/<int:pk>/transition/", views.LeadTransition.as_view(), name="lead_transition"),
    path("leads/<int:pk>/finding/", views.LeadToFinding.as_view(), name="lead_finding"),
]
