"""URLs of the survey app."""

app_name = "survey"
urlpatterns = []
