"""Background rendering of the plans' PDFs (run by `rkpk db_worker`), and how a download
asks for one: at most one job per content, found again through the shared cache.

The job is safe to run twice (a worker lost mid-job, two requests racing): it renders only
when the file for the content it finds is missing, and stores it by renaming.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from rkpk.core.actions import require
from rkpk.core.jobs import lease_seconds
from rkpk.plans import rendered
from rkpk.plans.models import Submission, UnitPlan


@task()
def render_plan_pdf(plan_id: int, doc: str, submission: int | None = None) -> dict:
    """Store the PDF of `doc` of the plan (or of its submission number `submission`)."""
    plan = UnitPlan.objects.select_related("unit").filter(pk=plan_id).first()
    if plan is None:
        return {"rendered": False, "reason": "no such plan"}
    source = plan
    if submission is not None:
        source = Submission.objects.filter(plan=plan, number=submission).first()
        if source is None:
            return {"rendered": False, "reason": "no such submission"}
    rendering = rendered.prepare(plan, source, doc=doc)
    if rendered.stored(rendering):
        return {"rendered": False, "key": rendering.key}
    rendered.store(rendering)
    return {"rendered": True, "key": rendering.key}


@task(takes_context=True)
def render_cycle_documents(context, year: int) -> dict:
    """Every unit's PK of the year as PDF, and their ZIP (see rendered.write_cycle_zip)."""
    # The page follows this job, however it was queued (the page, the command, a retry).
    cache.set(_cycle_job_key(year), str(context.task_result.id), timeout=CYCLE_JOB_SECONDS)
    key = _progress_key(year)

    def progress(done: int, total: int, plan) -> None:
        cache.set(key, [done, total], timeout=CYCLE_JOB_SECONDS)

    path = rendered.write_cycle_zip(year, progress=progress)
    cache.delete(key)
    return {"year": year, "zip": str(path)}


# --- what a download waits for ----------------------------------------------------------

QUEUED, RUNNING, FAILED = "queued", "running", "failed"


@dataclass(frozen=True)
class Wait:
    state: str  # QUEUED, RUNNING or FAILED
    job_id: str


def _job_key(rendering: rendered.Place) -> str:
    return f"rkpk:plan-pdf-job:{rendering.plan_id}:{rendering.key}"


def request_pdf(rendering: rendered.Place, *, retry: bool = False) -> Wait:
    """The job rendering this content: the one already asked for, or a new one.

    A failed job stays failed (the page says so) until the user asks to try again; a job
    that ended without storing this content (the content changed meanwhile, the file was
    removed) or was forgotten is replaced.
    """
    key = _job_key(rendering)
    job_id = cache.get(key)
    if job_id is not None:
        try:
            result = render_plan_pdf.get_result(job_id)
        except TaskResultDoesNotExist:
            result = None
        if result is not None:
            if result.status == TaskResultStatus.READY:
                return Wait(QUEUED, job_id)
            if result.status == TaskResultStatus.RUNNING:
                return Wait(RUNNING, job_id)
            if result.status == TaskResultStatus.FAILED and not retry:
                return Wait(FAILED, job_id)
    result = render_plan_pdf.enqueue(
        plan_id=rendering.plan_id, doc=rendering.doc, submission=rendering.version
    )
    # Long enough to outlive a queue of renders; a forgotten id only costs a second job.
    cache.set(key, str(result.id), timeout=max(lease_seconds(), 600))
    return Wait(QUEUED, str(result.id))


# --- the whole cycle's ZIP ----------------------------------------------------------------

CYCLE_JOB_SECONDS = 24 * 3600


def _cycle_job_key(year: int) -> str:
    return f"rkpk:cycle-pdf-job:{year}"


def _progress_key(year: int) -> str:
    return f"rkpk:cycle-pdf-progress:{year}"


@dataclass(frozen=True)
class CycleWait:
    state: str  # QUEUED, RUNNING or FAILED
    done: int  # plans done so far (0 before the job reports)
    total: int  # plans to do (0 before the job reports)


def cycle_job(year: int) -> CycleWait | None:
    """The state of the last job preparing the year's ZIP; None when none is under way."""
    job_id = cache.get(_cycle_job_key(year))
    if job_id is None:
        return None
    try:
        result = render_cycle_documents.get_result(job_id)
    except TaskResultDoesNotExist:
        return None
    states = {
        TaskResultStatus.READY: QUEUED,
        TaskResultStatus.RUNNING: RUNNING,
        TaskResultStatus.FAILED: FAILED,
    }
    if result.status not in states:
        return None
    done, total = cache.get(_progress_key(year)) or (0, 0)
    return CycleWait(states[result.status], done, total)


def request_cycle_zip(*, actor, year: int) -> CycleWait:
    """Queue the job preparing every unit's PK of the year and their ZIP (once at a time)."""
    require(actor, "plans.review_plan")
    current = cycle_job(year)
    if current is not None and current.state != FAILED:
        return current
    result = render_cycle_documents.enqueue(year=year)
    cache.delete(_progress_key(year))
    cache.set(_cycle_job_key(year), str(result.id), timeout=CYCLE_JOB_SECONDS)
    return CycleWait(QUEUED, 0, 0)
