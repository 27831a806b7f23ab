"""URLs of the ministry RK-PK."""

from django.urls import path

from rkpk.ministry import views

app_name = "ministry"
urlpatterns = [
    path("<int:year>/", views.plan_detail, name="plan"),
]
