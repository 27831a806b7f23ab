"""Pages and JSON are sent gzip-compressed to a browser that accepts it (with Django's BREACH
padding); downloads are sent as they are."""

import gzip
import io
import os
import subprocess
import sys

import pytest
from django.http import FileResponse, HttpResponse
from django.urls import reverse

from rkpk.organisation.models import Role
from rkpk.plans import lists
from rkpk.site.middleware import TextGZipMiddleware

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_page_is_compressed_when_the_browser_accepts_it(role_users, client_for):
    client = client_for(role_users[Role.STAFF])
    url = reverse("notifications:settings")
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert b"<!doctype html>" in plain.content
    packed = client.get(url, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content)
    assert page.startswith(b"<!doctype html>") and len(packed.content) < len(page) / 3


def test_json_is_compressed(role_users, client_for):
    client = client_for(role_users[Role.STAFF])
    response = client.get("/api/v1/openapi.json", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_a_download_is_sent_as_it_is(role_users, client_for):
    client = client_for(role_users[Role.STAFF])
    response = client.get(reverse("plans:list_export", args=[lists.QUALITATIVE]), **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"PK")  # the XLSX opens as it is


def test_a_streamed_pdf_is_sent_as_it_is(rf):
    body = b"%PDF-1.7\n" + b"0" * 5000
    middleware = TextGZipMiddleware(
        lambda request: FileResponse(io.BytesIO(body), content_type="application/pdf")
    )
    response = middleware(rf.get("/", **GZIP))
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == body
    html = TextGZipMiddleware(lambda request: HttpResponse("<p>x</p>" * 500))(rf.get("/", **GZIP))
    assert html["Content-Encoding"] == "gzip"


def test_redis_is_the_shared_cache_when_redis_url_is_set():
    env = {
        **os.environ,
        "RKPK_TESTING": "",
        "DEBUG": "1",
        "REDIS_URL": "redis://cache.example:6379/0",
    }
    code = "import json, rkpk.settings as s; print(json.dumps(s.CACHES['default']))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert '"django.core.cache.backends.redis.RedisCache"' in out.stdout
    assert '"redis://cache.example:6379/0"' in out.stdout
    env.pop("REDIS_URL")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert "FileBasedCache" in out.stdout
