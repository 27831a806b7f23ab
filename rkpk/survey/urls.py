"""URLs of the survey app."""

from django.urls import path

from rkpk.survey.views import answering, questionnaire, surveys

app_name = "survey"
urlpatterns = [
    path("", surveys.survey_list, name="list"),
    path("open/", surveys.survey_open, name="open"),
    path("questionnaire/", questionnaire.questionnaire_edit, name="questionnaire"),
    path("<int:pk>/", surveys.survey_detail, name="detail"),
    path("<int:pk>/results.xlsx", surveys.survey_export, name="export"),
    path("<int:pk>/close/", surveys.survey_close, name="close"),
    path("<int:pk>/answer/<str:unit>/", answering.survey_answer, name="answer"),
    path("<int:pk>/thanks/<str:unit>/", answering.survey_thanks, name="thanks"),
]
