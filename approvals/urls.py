from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.DecisionList.as_view(), name="list"),
    path("import/", views.DecisionImport.as_view(), name="import"),
    path("import/template/", views.ImportTemplate.as_view(), name="import_template"),
    path("routes/", views.RouteList.as_view(), name="routes"),
    path("routes/new/", views.RouteNew.as_view(), name="route_new"),
    path("routes/<int:pk>/edit/", views.RouteEdit.as_view(), name="route_edit"),
    path("routes/<int:pk>/remove/", views.RouteRemove.as_view(), name="route_remove"),
    path("non-cooperation/", views.NonCooperationList.as_view(), name="non_cooperation"),
    path("<int:pk>/", views.DecisionDetail.as_view(), name="detail"),
    path("<int:pk>/transition/", views.DecisionTransition.as_view(), name="transition"),
    path("<int:pk>/supervision/", views.SupervisionNew.as_view(), name="supervision"),
]
