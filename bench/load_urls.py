"""The application's URLs plus /bench/floor/, a bare view: what any request costs through
the same middleware stack and gunicorn, the floor the load benchmark compares pages with."""

from django.http import HttpResponse
from django.urls import path

from rkpk.urls import handler400, handler500
from rkpk.urls import urlpatterns as application_urlpatterns


def floor(request):
    return HttpResponse(b"floor\n", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *application_urlpatterns]
__all__ = ["handler400", "handler500", "urlpatterns"]
