from django.urls import path

from rkpk.organisation import views

app_name = "organisation"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("officials/", views.official_list, name="official_list"),
    path("users/", views.user_list, name="user_list"),
    path("import/", views.import_view, name="import"),
]
