from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.TransferList.as_view(), name="list"),
    path("new/", views.TransferCreate.as_view(), name="create"),
    path("inbox/", views.TransferInbox.as_view(), name="inbox"),
    path("supervision/", views.TransferSupervision.as_view(), name="supervision"),
    path("<int:pk>/", views.TransferDetail.as_view(), name="detail"),
    path("<int:pk>/materials/", views.MaterialAdd.as_view(), name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/remove/", views.MaterialRemove.as_view(),
         name="material_remove"),
    path("<int:pk>/letter/", views.LetterIssue.as_view(), name="letter_issue"),
    path("<int:pk>/transition/", views.TransferTransition.as_view(), name="transition"),
    path("<int:pk>/outcome/", views.OutcomeRecord.as_view(), name="outcome"),
    path("orders/", views.OrderList.as_view(), name="order_list"),
    path("orders/new/", views.OrderCreate.as_view(), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetail.as_view(), name="order_detail"),
    path("orders/<int:pk>/sanction/", views.OrderSanction.as_view(), name="order_sanction"),
]
