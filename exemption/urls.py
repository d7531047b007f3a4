from django.urls import path

from . import views

app_name = "exemption"

urlpatterns = [
    path("", views.RecordList.as_view(), name="list"),
    path("new/", views.RecordNew.as_view(), name="new"),
    path("<int:pk>/", views.RecordDetail.as_view(), name="detail"),
    path("<int:pk>/correct/", views.RecordCorrect.as_view(), name="correct"),
    path("proceedings/<int:pk>/claim/", views.ClaimSubmit.as_view(), name="claim"),
    path("claims/<int:pk>/decide/", views.ClaimDecide.as_view(), name="claim_decide"),
]
