from django.urls import path

from rkpk.procedure import views

app_name = "procedure"
urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:year>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:year>/steps/<int:number>/", views.step_action, name="step_action"),
    path("standard/", views.standard_detail, name="standard_detail"),
    path("standard/v<int:version>/", views.standard_detail, name="standard_version"),
    path("standard/edit/", views.standard_edit, name="standard_edit"),
]
