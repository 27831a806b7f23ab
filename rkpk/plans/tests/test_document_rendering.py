"""The plans' PDFs rendered by the worker and sent from disk (rkpk.plans.rendered): no web
request renders a PDF; a stored file always prints the current content; the whole
cycle's PKs are rendered one at a time into a ZIP on disk (bounded memory)."""

import io
import tracemalloc
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from rkpk.core import cache as page_cache
from rkpk.organisation.models import Unit
from rkpk.plans import document_tasks, rendered
from rkpk.plans.models import Goal, Indicator, Submission, UnitPlan
from rkpk.plans.snapshot import plan_snapshot
from rkpk.plans.tests import test_documents
from rkpk.plans.tests.test_documents import pdf_text, render_queued_pdfs

pytestmark = pytest.mark.django_db

# Unit A's 2027 plan and its PK parties, as the documents' tests have them.
plan = test_documents.plan
officials = test_documents.officials


@pytest.fixture
def renders(monkeypatch):
    """Every PDF render, counted (the real renderer still runs)."""
    calls = []
    real = rendered.render_pdf

    def counted(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(rendered, "render_pdf", counted)
    return calls


def _url(plan, doc="pk", query=""):
    url = reverse(
        "plans:documents_download",
        kwargs={"unit_code": plan.unit.code, "year": plan.year, "doc": doc, "fmt": "pdf"},
    )
    return url + query


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _poll(client, url, **params):
    return client.get(url, params, HTTP_HX_REQUEST="true")


def test_a_stored_pdf_is_sent_from_disk_without_rendering(plan, role_users, client_for, renders):
    client = client_for(role_users["unit_operator"])
    assert client.get(_url(plan)).status_code == 202
    assert renders == []  # the request itself rendered nothing
    render_queued_pdfs()
    assert len(renders) == 1
    for _ in range(3):
        response = client.get(_url(plan))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'inline; filename="PK-2027-E1.A.pdf"'
        assert response["Cache-Control"] == "private, no-store"
        assert "Biro A" in pdf_text(_body(response))
    assert len(renders) == 1 and not DBTaskResult.objects.exists()


def test_a_changed_plan_is_rendered_again_and_its_old_file_removed(
    plan, role_users, client_for, renders
):
    client = client_for(role_users["unit_operator"])
    client.get(_url(plan))
    render_queued_pdfs()
    old = rendered.stored(rendered.prepare(plan, plan, doc="pk"))
    assert old is not None

    Goal.objects.filter(plan=plan, position=2).update(text="Sasaran yang diubah")
    assert client.get(_url(plan)).status_code == 202  # not the old file
    render_queued_pdfs()
    assert len(renders) == 2
    response = client.get(_url(plan))
    assert response.status_code == 200
    assert "Sasaran yang diubah" in pdf_text(_body(response))
    assert not old.exists()  # one file per document and version


def test_the_key_covers_what_is_printed_beyond_the_rows(plan, officials):
    before = rendered.prepare(plan, plan, doc="pk").key
    first, _second = officials
    first.name = "Nama Pejabat Baru"
    first.save()
    plan.refresh_from_db()
    assert rendered.prepare(plan, plan, doc="pk").key != before
    # RK and PK of the same content are different files.
    rk, pk = (rendered.prepare(plan, plan, doc=doc).path for doc in ("rk", "pk"))
    assert rk != pk


def test_the_waiting_page_asks_again_and_then_opens_the_file(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    url = _url(plan)
    page = client.get(url)
    assert page.status_code == 202
    html = page.content.decode()
    assert 'role="status" aria-live="polite"' in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html
    assert f'<a href="{url}">' in html  # without JavaScript
    assert "The PDF is waiting to be prepared." in html
    assert DBTaskResult.objects.count() == 1

    # Asking again while nothing changed: an empty answer (nothing re-announced), no new job.
    assert _poll(client, url, shown="queued").status_code == 204
    assert client.get(url).status_code == 202
    assert DBTaskResult.objects.count() == 1

    # The worker took it: the state is shown.
    DBTaskResult.objects.update(status="RUNNING")
    fragment = _poll(client, url, shown="queued")
    assert fragment.status_code == 200
    assert "The PDF is being prepared." in fragment.content.decode()
    assert 'data-state="running"' in fragment.content.decode()

    DBTaskResult.objects.update(status="READY")
    render_queued_pdfs()
    done = _poll(client, url, shown="running")
    assert done.status_code == 204 and done["HX-Redirect"] == url


def test_a_failed_job_says_so_and_may_be_tried_again(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    client.get(_url(plan))
    DBTaskResult.objects.update(status="FAILED")
    html = client.get(_url(plan)).content.decode()
    assert "The PDF could not be prepared." in html
    assert "hx-trigger" not in html  # no asking again for ever
    assert f'href="{_url(plan)}?retry=1"' in html
    assert DBTaskResult.objects.count() == 1
    assert client.get(_url(plan, query="?retry=1")).status_code == 202
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_another_units_operator_gets_neither_the_file_nor_a_job(
    plan, role_users, client_for, renders
):
    client_for(role_users["unit_operator"]).get(_url(plan))
    render_queued_pdfs()
    outsider = client_for(role_users["operator_b"])
    assert outsider.get(_url(plan)).status_code == 404
    assert _poll(outsider, _url(plan), shown="queued").status_code == 404
    assert outsider.get(_url(plan, query="?retry=1")).status_code == 404
    assert not DBTaskResult.objects.exists() and len(renders) == 1
    # The unit's head, the bureau and the leadership may (as before).
    for role in ("unit_head", "staff", "minister"):
        assert client_for(role_users[role]).get(_url(plan)).status_code == 200


def test_a_submitted_version_is_stored_apart_from_the_live_plan(plan, role_users, client_for):
    Submission.objects.create(
        plan=plan,
        number=2,
        snapshot=plan_snapshot(plan),
        submitted_by=role_users["unit_operator"],
        submitted_at=datetime(2026, 12, 1, 3, 0, tzinfo=ZoneInfo("UTC")),
    )
    Goal.objects.filter(plan=plan, position=2).update(text="Teks baru")
    client = client_for(role_users["head_of_bureau"])
    url = _url(plan, query="?submission=2")
    page = client.get(url)
    assert page.status_code == 202
    assert f'href="{url}&amp;retry=1"' not in page.content.decode()  # not failed
    assert f'hx-get="{url.replace("&", "&amp;")}"' in page.content.decode()
    client.get(_url(plan))
    render_queued_pdfs()
    version = client.get(url)
    assert version["Content-Disposition"] == 'inline; filename="PK-2027-E1.A-v2.pdf"'
    text = pdf_text(_body(version))
    assert "Meningkatnya akuntabilitas keuangan" in text and "Teks baru" not in text
    assert "Teks baru" in pdf_text(_body(client.get(_url(plan))))


@pytest.mark.django_db(transaction=True)
def test_the_worker_completes_the_job(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    assert client.get(_url(plan, "rk")).status_code == 202
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL" and job.return_value["rendered"] is True
    response = client.get(_url(plan, "rk"))
    assert response.status_code == 200
    assert "Program Dukungan Manajemen" in pdf_text(_body(response))


# --- the whole cycle --------------------------------------------------------------------


def _plans(count: int) -> list[UnitPlan]:
    root = Unit.objects.get_or_create(code="ZZ", defaults={"name": "Induk", "level": 1})[0]
    plans = []
    for n in range(count):
        unit = Unit.objects.create(code=f"ZZ.{n:02d}", name=f"Unit {n}", level=2, parent=root)
        unit_plan = UnitPlan.objects.create(unit=unit, year=2031)
        goal = Goal.objects.create(plan=unit_plan, position=1, text=f"Sasaran unit {n}")
        Indicator.objects.create(plan=unit_plan, goal=goal, position=1, name=f"Indikator {n}")
        plans.append(unit_plan)
    return plans


def test_the_cycle_zip_holds_every_units_pk_and_reuses_stored_files(db, renders):
    plans = _plans(3)
    call_command("render_cycle_documents", year=2031, stdout=io.StringIO())
    assert len(renders) == 3
    with zipfile.ZipFile(rendered.cycle_zip_path(2031)) as archive:
        names = archive.namelist()
        assert names == [f"PK-2031-ZZ.{n:02d}.pdf" for n in range(3)]
        assert "Sasaran unit 1" in pdf_text(archive.read(names[1]))
    Goal.objects.filter(plan=plans[2]).update(text="Sasaran diubah")
    rendered.write_cycle_zip(2031)
    assert len(renders) == 4  # only the changed plan again
    # A unit's own download now finds its file stored: no job.
    assert rendered.stored(rendered.prepare(plans[0], plans[0], doc="pk")) is not None


def _peak_bytes(year_plans: int, monkeypatch, size: int) -> int:
    UnitPlan.objects.filter(year=2031).delete()
    Unit.objects.filter(code__startswith="ZZ.").delete()
    _plans(year_plans)
    # A stand-in renderer whose documents weigh `size` bytes: what is held shows in the peak.
    monkeypatch.setattr(rendered, "render_pdf", lambda html: b"%PDF-" + bytes(size))
    tracemalloc.start()
    try:
        rendered.write_cycle_zip(2031)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def test_the_cycle_is_rendered_with_bounded_memory(db, monkeypatch, settings, tmp_path):
    size = 4 * 1024 * 1024
    settings.MEDIA_ROOT = tmp_path / "three"
    three = _peak_bytes(3, monkeypatch, size)
    settings.MEDIA_ROOT = tmp_path / "twelve"
    twelve = _peak_bytes(12, monkeypatch, size)
    # Twelve documents held at once would weigh 48 MB; one at a time, the peak is the same.
    assert three >= size
    assert twelve < three + size
    with zipfile.ZipFile(rendered.cycle_zip_path(2031)) as archive:
        assert len(archive.namelist()) == 12


# --- the cycle page ---------------------------------------------------------------------


def test_the_cycle_page_queues_one_job_and_offers_the_zip(db, role_users, client_for):
    _plans(2)
    url = reverse("plans:cycle_documents", args=[2031])
    zip_url = reverse("plans:cycle_documents_zip", args=[2031])
    client = client_for(role_users["staff"])
    assert "The ZIP has not been prepared yet." in client.get(url).content.decode()
    assert client.get(zip_url).status_code == 404
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert DBTaskResult.objects.count() == 1  # once at a time
    html = client.get(url).content.decode()
    assert "Waiting for the worker to start preparing the PDFs" in html
    assert 'hx-trigger="every 4s"' in html and " disabled" in html
    assert _poll(client, url, shown="queued").status_code == 204

    rendered.write_cycle_zip(2031)
    DBTaskResult.objects.update(status="SUCCESSFUL")
    fragment = _poll(client, url, shown="queued")
    assert fragment.status_code == 200 and zip_url in fragment.content.decode()
    download = client.get(zip_url)
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == 'attachment; filename="PK-2031.zip"'
    with zipfile.ZipFile(io.BytesIO(_body(download))) as archive:
        assert len(archive.namelist()) == 2


def test_the_cycle_progress_is_shown(db, role_users, client_for):
    job = document_tasks.request_cycle_zip(actor=role_users["staff"], year=2031)
    assert job.state == document_tasks.QUEUED
    DBTaskResult.objects.update(status="RUNNING")
    document_tasks.cache.set(document_tasks._progress_key(2031), [7, 20])
    client = client_for(role_users["deputy"])  # sees the whole ministry; may not prepare
    html = client.get(reverse("plans:cycle_documents", args=[2031])).content.decode()
    assert "Preparing the PDFs: 7 of 20 units done." in html
    assert 'value="7" max="20"' in html
    assert "Prepare the ZIP" not in html
    assert client.post(reverse("plans:cycle_documents", args=[2031])).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_worker_prepares_the_cycle_zip(role_users, client_for):
    _plans(2)
    client = client_for(role_users["staff"])
    client.post(reverse("plans:cycle_documents", args=[2031]))
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    html = client.get(reverse("plans:cycle_documents", args=[2031])).content.decode()
    assert reverse("plans:cycle_documents_zip", args=[2031]) in html
    assert "hx-trigger" not in html


def test_with_the_page_cache_a_stored_download_reads_no_plan(
    plan, role_users, client_for, settings
):
    settings.RKPK_PAGE_CACHE = True
    client = client_for(role_users["unit_operator"])
    client.get(_url(plan))
    render_queued_pdfs()
    client.get(_url(plan))
    calls = []
    real = rendered.prepare

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendered, "prepare", counted)
        assert client.get(_url(plan)).status_code == 200
        assert calls == []  # the key came from the cache
        Goal.objects.filter(plan=plan, position=2).update(text="Sasaran baru")
        page_cache.bump()  # what the change's commit does (this test's transaction never ends)
        assert client.get(_url(plan)).status_code == 202  # the new content is not stored
        assert calls
