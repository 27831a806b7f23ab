"""URLs of the meetings app."""

app_name = "meetings"
urlpatterns = []
