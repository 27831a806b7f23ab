"""The plans' PDFs rendered once and kept on disk, keyed by what they print.

WeasyPrint takes seconds for a 50-indicator PK: a web worker busy with it serves nobody
else. So a download view never renders a PDF. It builds the document's HTML (cheap, tens of
milliseconds) and hashes it with the stylesheet: that hash (the rendering's key) changes
whenever anything printed changes (the plan's rows, the parties, the statement template,
the organisation's name, the date under a live plan's statement), so a stored file whose
name carries the key always matches what the document prints now. A stored file is served
from disk; a missing one is rendered by the background worker (`rkpk.plans.document_tasks`)
while the user waits on a page that asks again.

Files live under MEDIA_ROOT/rendered/plans/<plan id>/, which no URL serves: they go out only
through the permission-checked download view. Storing a new rendering of a document removes
the older ones of the same document and version, so a plan keeps at most one file per
document.

`write_cycle_zip` renders every unit's PK of a year, one plan at a time, into a ZIP written
on disk file by file: memory stays that of one document whatever the number of units.
"""

import gc
import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from rkpk.core.cache import DEFAULT_TIMEOUT, key_for
from rkpk.core.pdf import html_to_pdf
from rkpk.plans import documents
from rkpk.plans.models import Submission, UnitPlan

LIVE = "live"  # the version part of a file name for the plan's current content


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "rendered" / "plans"


@dataclass(frozen=True)
class Place:
    """Where the PDF of one content of a plan document is (or will be) stored."""

    plan_id: int
    doc: str
    version: int | None  # the submission's number; None for the plan's current content
    key: str

    @property
    def prefix(self) -> str:
        return f"{self.doc}-{self.version or LIVE}-"

    @property
    def path(self) -> Path:
        return root() / str(self.plan_id) / f"{self.prefix}{self.key}.pdf"


@dataclass(frozen=True)
class Rendering(Place):
    """A plan document's printable HTML, and where its PDF goes."""

    html: str


def prepare(plan: UnitPlan, source: UnitPlan | Submission, *, doc: str) -> Rendering:
    """The rendering of `doc` ("rk" | "pk" | "rkpk") of the plan or one of its submissions."""
    snapshot, day, version = documents.resolve_source(source)
    context = documents.document_context(snapshot, doc=doc, on_date=day, version=version)
    html = documents.render_html(context)
    digest = hashlib.sha256()
    digest.update(documents.stylesheet_text().encode())
    digest.update(b"\0")
    digest.update(html.encode())
    return Rendering(
        plan_id=plan.pk, doc=doc, version=version, html=html, key=digest.hexdigest()[:32]
    )


def find(plan: UnitPlan, source: UnitPlan | Submission, *, doc: str) -> tuple[Place, Path | None]:
    """Where the PDF of what the document prints now is, and the file if it is stored.

    The key is kept per data version (rkpk.core.cache: any committed change asks again) and
    day (a live plan prints today's date), so the download of a stored file reads no plan.
    A key whose file is missing is made again from the content before anyone waits for it
    (a change the data version did not see, a new version of the code).
    """
    version = source.number if isinstance(source, Submission) else None
    cache_key = None
    if settings.RKPK_PAGE_CACHE:
        cache_key = key_for(("plan-pdf-key", plan.pk, doc, version, timezone.localdate()))
        key = cache.get(cache_key)
        if key is not None:
            place = Place(plan_id=plan.pk, doc=doc, version=version, key=key)
            path = stored(place)
            if path is not None:
                return place, path
    key = prepare(plan, source, doc=doc).key
    if cache_key is not None:
        cache.set(cache_key, key, DEFAULT_TIMEOUT)
    place = Place(plan_id=plan.pk, doc=doc, version=version, key=key)
    return place, stored(place)


def stored(rendering: Place) -> Path | None:
    """The stored PDF of exactly this content, if there is one."""
    path = rendering.path
    return path if path.is_file() else None


def render_pdf(html: str) -> bytes:
    """The PDF of a plan document's HTML (the one place the plans' PDFs are rendered)."""
    return html_to_pdf(html, documents.stylesheet_text())


def store(rendering: Rendering) -> Path:
    """Render the PDF and store it; older renderings of the same document are removed.

    Written to a temporary file and renamed: a reader never sees half a file, and two
    workers rendering the same content write the same bytes.
    """
    path = rendering.path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = render_pdf(rendering.html)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    del data
    for older in path.parent.glob(f"{rendering.prefix}*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)  # a response already reading it keeps its handle
    return path


def stored_or_store(rendering: Rendering) -> Path:
    return stored(rendering) or store(rendering)


# --- the whole cycle ----------------------------------------------------------------------


def cycle_zip_path(year: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "rendered" / "cycles" / f"PK-{year}.zip"


def cycle_plan_ids(year: int) -> list[int]:
    return list(
        UnitPlan.objects.filter(year=year).order_by("unit__code", "pk").values_list("pk", flat=True)
    )


def write_cycle_zip(year: int, *, plan_ids: list[int] | None = None, progress=None) -> Path:
    """Every unit's PK of `year` as PDF (rendered where not stored), zipped on disk.

    One plan at a time: its snapshot, HTML and PDF are dropped before the next plan is read,
    and the ZIP is written from the stored file in chunks, so memory does not grow with the
    number of units. `progress(done, total, plan)` is called after each plan.
    """
    ids = cycle_plan_ids(year) if plan_ids is None else plan_ids
    target = cycle_zip_path(year)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    os.close(handle)
    try:
        # PDFs are compressed already: stored as they are.
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, plan_id in enumerate(ids, start=1):
                plan = UnitPlan.objects.select_related("unit").get(pk=plan_id)
                path = stored_or_store(prepare(plan, plan, doc="pk"))
                archive.write(path, arcname=documents.document_filename(plan, doc="pk", fmt="pdf"))
                if progress is not None:
                    progress(done, len(ids), plan)
                del plan, path
                # WeasyPrint's boxes and fonts form reference cycles: freed now, not later.
                gc.collect()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
