"""URLs of the dashboard app."""

app_name = "dashboard"
urlpatterns = []
