from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentList.as_view(), name="list"),
    path("supervision-notice/new/", views.SupervisionNoticeNew.as_view(),
         name="supervision_notice_new"),
    path("<int:pk>/", views.DocumentDetail.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/void/", views.DocumentVoid.as_view(), name="void"),
    path("<int:pk>/rectification/<str:kind>/", views.RectificationSubmit.as_view(),
         name="rectification_submit"),
    path("rectification/<int:pk>/reply/", views.RectificationReply.as_view(),
         name="rectification_reply"),
]
