"""URLs of the complaints app."""

from django.urls import path

from rkpk.complaints.views import complaint, filing, register

app_name = "complaints"
urlpatterns = [
    path("", filing.index, name="index"),
    path("new/", filing.file_complaint, name="file"),
    path("new/steps/", filing.step_options, name="step_options"),
    path("mine/", filing.mine, name="mine"),
    path("register/", register.register, name="register"),
    path("register/export.xlsx", register.register_xlsx, name="register_xlsx"),
    path("statistics/", register.statistics, name="statistics"),
    path("<int:pk>/", complaint.detail, name="detail"),
    path("<int:pk>/delegate/", complaint.delegate, name="delegate"),
    path("<int:pk>/follow-up/", complaint.follow_up, name="follow_up"),
    path("<int:pk>/answer/", complaint.answer, name="answer"),
    path("<int:pk>/close/", complaint.close, name="close"),
    path("<int:pk>/withdraw/", complaint.withdraw, name="withdraw"),
    path("<int:pk>/rate/", complaint.rate, name="rate"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        complaint.attachment_download,
        name="attachment",
    ),
]
