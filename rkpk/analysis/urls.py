from django.urls import path

from rkpk.analysis import views

app_name = "analysis"
urlpatterns = [
    path("goals/", views.goal_list, name="goal_list"),
]
