"""URLs of the survey app."""

from django.urls import path

from rkpk.survey import views

app_name = "survey"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("open/", views.survey_open, name="open"),
    path("questionnaire/", views.questionnaire_edit, name="questionnaire"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/results.xlsx", views.survey_export, name="export"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/answer/<str:unit>/", views.survey_answer, name="answer"),
    path("<int:pk>/thanks/<str:unit>/", views.survey_thanks, name="thanks"),
]
