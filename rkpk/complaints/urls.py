"""URLs of the complaints app (see rkpk.complaints.views for the map)."""

from django.urls import path

from rkpk.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.file_complaint, name="file"),
    path("new/steps/", views.step_options, name="step_options"),
    path("mine/", views.mine, name="mine"),
    path("register/", views.register, name="register"),
    path("register/export.xlsx", views.register_xlsx, name="register_xlsx"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/delegate/", views.delegate, name="delegate"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
