from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/export/", views.supervision_export, name="supervision_export"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/letter/", views.letter_issue, name="letter_issue"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("materials/<int:pk>/remove/", views.material_remove, name="material_remove"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
]
