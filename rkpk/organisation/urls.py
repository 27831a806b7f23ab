from django.urls import path

from rkpk.organisation.views import acting, imports, officials, profile, units, users

app_name = "organisation"
urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:pk>/deactivate/", units.unit_deactivate, name="unit_deactivate"),
    path("units/<int:pk>/activate/", units.unit_activate, name="unit_activate"),
    path("units/<int:pk>/delete/", units.unit_delete, name="unit_delete"),
    path("units/<int:pk>/heads/", units.headship_add, name="headship_add"),
    path("heads/<int:pk>/end/", units.headship_end, name="headship_end"),
    path("officials/", officials.official_list, name="official_list"),
    path("officials/new/", officials.official_create, name="official_create"),
    path("officials/<int:pk>/edit/", officials.official_edit, name="official_edit"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", users.user_password, name="user_password"),
    path("users/<int:pk>/roles/", users.role_add, name="role_add"),
    path("roles/<int:pk>/remove/", users.role_remove, name="role_remove"),
    path("import/", imports.import_view, name="import"),
    path("import/template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("import/export/<slug:kind>.xlsx", imports.export_data, name="export"),
    path("acting/", acting.acting_list, name="acting_list"),
    path("acting/new/", acting.acting_create, name="acting_create"),
    path("acting/<int:pk>/end/", acting.acting_end, name="acting_end"),
    path("acting/<int:pk>/delete/", acting.acting_delete, name="acting_delete"),
    path("profile/", profile.profile_detail, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile_edit"),
    path("profile/logo/", profile.profile_logo, name="profile_logo"),
]
