from django.urls import path

from rkpk.organisation import views, views_acting, views_profile

app_name = "organisation"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/deactivate/", views.unit_deactivate, name="unit_deactivate"),
    path("units/<int:pk>/activate/", views.unit_activate, name="unit_activate"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/heads/", views.headship_add, name="headship_add"),
    path("heads/<int:pk>/end/", views.headship_end, name="headship_end"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/new/", views.official_create, name="official_create"),
    path("officials/<int:pk>/edit/", views.official_edit, name="official_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/roles/", views.role_add, name="role_add"),
    path("roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
    path("import/", views.import_view, name="import"),
    path("import/template/<slug:kind>.xlsx", views.import_template, name="import_template"),
    path("import/export/<slug:kind>.xlsx", views.export_data, name="export"),
    *views_acting.urlpatterns,
    *views_profile.urlpatterns,
]
