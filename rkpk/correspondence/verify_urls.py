"""The public verification page, mounted at /verify/ (URL names without a namespace)."""

from django.urls import path

from rkpk.correspondence.views import verify

urlpatterns = [
    path("", verify.verify_upload, name="verify_upload"),
    path("<str:token>/", verify.verify_document, name="verify_document"),
]
