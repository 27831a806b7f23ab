"""The bureau's review of submitted plans and the clarification thread (steps 3–4).

Pages of one plan, under /plans/<unit_code>/<year>/:
  submissions/                  every submitted version with its decision
  submissions/<n>/              one version as frozen when it was submitted
  submissions/compare/?a=&b=    the differences between two versions
  review/                       the reviewer's page: latest version, checks, thread, decisions
  review/{clarification,return,accept}/   the decisions (POST)
  messages/                     the clarification thread (GET, POST)
  attachments/<pk>/             a thread attachment, through a permission check

A user who may not see the plan gets 404; one who sees it but may not act, 403.
"""

import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.core.actions import form_errors, require
from rkpk.core.downloads import stored_file_response
from rkpk.plans import checks, selectors, services
from rkpk.plans.diff import compare_submissions, diff_as_text
from rkpk.plans.forms_review import AcceptForm, CompareForm, DecisionForm, MessageForm
from rkpk.plans.models import ActingKind, Activity, Goal, Indicator, UnitPlan
from rkpk.plans.snapshot import format_quarter
from rkpk.plans.views.common import get_plan

ATTACHMENT_KINDS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
}


# --- Reads ----------------------------------------------------------------------------------


def check_summary(results: list[dict]) -> dict:
    """Counts of a stored check run, and its rule titles in the current language."""
    titles = {rule.code: str(rule.title) for rule in checks.RULES}
    rows = [
        {**result, "title": titles.get(result.get("code"), result.get("title", ""))}
        for result in results or []
    ]
    failed = [r for r in rows if not r.get("passed")]
    return {
        "results": rows,
        "passed": len(rows) - len(failed),
        "errors": [r for r in failed if r.get("severity") == checks.ERROR],
        "warnings": [r for r in failed if r.get("severity") != checks.ERROR],
    }


def submission_rows(plan: UnitPlan) -> list[dict]:
    """The versions of a plan, newest first, for the submissions list (a fixed query count)."""
    texts = selectors.reason_texts()
    rows = []
    for submission in selectors.submissions_of(plan):
        rows.append(
            {
                "submission": submission,
                "reasons": [texts.get(code, code) for code in submission.reasons or []],
                "checks": check_summary(submission.checks),
            }
        )
    return rows


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def readable_snapshot(snapshot: dict) -> dict:
    """A frozen snapshot with the labels of its coded values, for the read-only version page."""
    goals = []
    indicator_count = pk_count = 0
    for goal in snapshot.get("goals", []):
        indicators = []
        for indicator in goal.get("indicators", []):
            indicator_count += 1
            pk_count += bool(indicator.get("in_pk"))
            indicators.append(
                {
                    **indicator,
                    "polarity_label": _choice_label(
                        Indicator.Polarity.choices, indicator.get("polarity")
                    ),
                    "type_label": _choice_label(Indicator.Type.choices, indicator.get("type")),
                    "quarters_display": [
                        format_quarter(
                            q, (indicator.get("target") or {}).get("kind"), indicator.get("measure")
                        )
                        for q in (indicator.get("quarters") or [])
                    ],
                }
            )
        goals.append(
            {
                **goal,
                "level_label": _choice_label(Goal.Level.choices, goal.get("level")),
                "indicators": indicators,
            }
        )
    activities = [
        {**activity, "kind_label": _choice_label(Activity.Kind.choices, activity.get("kind"))}
        for activity in snapshot.get("activities", [])
    ]
    parties = []
    for slot, title in (("first", _("First party")), ("second", _("Second party"))):
        party = (snapshot.get("parties") or {}).get(slot)
        parties.append(
            {
                "title": title,
                "party": party,
                "acting_label": _choice_label(ActingKind.choices, (party or {}).get("acting")),
            }
        )
    return {
        **snapshot,
        "goals": goals,
        "activities": activities,
        "party_rows": parties,
        "indicator_count": indicator_count,
        "pk_count": pk_count,
    }


def thread(plan: UnitPlan) -> list[dict]:
    """The plan's messages in time order, each marked as from the unit or the bureau."""
    items, unit_authors = selectors.plan_messages(plan)
    return [
        {
            "message": message,
            "from_unit": message.author_id in unit_authors,
            "attachments": [
                {"file": a, "kind": ATTACHMENT_KINDS.get(a.content_type, a.content_type)}
                for a in message.attachments.all()
            ],
        }
        for message in items
    ]


# --- Views ----------------------------------------------------------------------------------


def _plan_context(request, plan: UnitPlan, **extra) -> dict:
    return {
        "plan": plan,
        "may_review": request.user.has_perm("plans.review_plan", plan),
        "may_post": request.user.has_perm("plans.post_message", plan),
        **extra,
    }


@login_required
def submission_list(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    return render(
        request,
        "plans/review_submissions.html",
        _plan_context(request, plan, rows=submission_rows(plan), tab="submissions"),
    )


@login_required
def submission_detail(request, unit_code, year, number):
    plan = get_plan(request.user, unit_code, year)
    submission = selectors.submission_of(plan, number)
    if submission is None:
        raise Http404
    texts = selectors.reason_texts()
    return render(
        request,
        "plans/review_submission.html",
        _plan_context(
            request,
            plan,
            submission=submission,
            content=readable_snapshot(submission.snapshot),
            checks=check_summary(submission.checks),
            reasons=[texts.get(code, code) for code in submission.reasons or []],
            tab="submissions",
        ),
    )


@login_required
def submission_compare(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    numbers = selectors.submission_numbers(plan)
    context = _plan_context(request, plan, numbers=numbers, tab="compare")
    if len(numbers) < 2:
        context["form"] = None
        return render(request, "plans/review_compare.html", context)
    bound = "a" in request.GET or "b" in request.GET
    form = CompareForm(
        request.GET if bound else None,
        numbers=numbers,
        initial={"a": numbers[-2], "b": numbers[-1]},
    )
    context["form"] = form
    if bound and not form.is_valid():
        return render(request, "plans/review_compare.html", context, status=400)
    a, b = (form.cleaned_data["a"], form.cleaned_data["b"]) if bound else numbers[-2:]
    if a > b:
        a, b = b, a
    versions = selectors.submissions_numbered(plan, [a, b])
    diff = compare_submissions(versions[a], versions[b])
    if request.GET.get("format") == "text":
        title = _("RK-PK %(year)s — %(unit)s") % {"year": plan.year, "unit": plan.unit.name}
        response = HttpResponse(
            diff_as_text(diff, title=title), content_type="text/plain; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="rkpk-{plan.unit.code}-{plan.year}-v{a}-v{b}.txt"'
        )
        return response
    context.update({"diff": diff, "old": versions[a], "new": versions[b]})
    return render(request, "plans/review_compare.html", context)


def _review_page(request, plan: UnitPlan, *, forms_given=None, status: int = 200):
    latest = selectors.latest_submission(plan)
    texts = selectors.reason_texts()
    active = selectors.reason_texts(active_only=True)
    version = {"version": latest.number} if latest else {}
    page_forms = {
        "clarification": DecisionForm(prefix="clarification", reasons=active, initial=version),
        "return": DecisionForm(prefix="return", reasons=active, initial=version),
        "accept": AcceptForm(prefix="accept", initial=version),
    }
    page_forms.update(forms_given or {})
    refusals = [error for form in (forms_given or {}).values() for error in form.non_field_errors()]
    # When the forms are not shown any more (the plan was decided meanwhile), what the
    # reviewer wrote is shown with the refusal, so it is not lost.
    kept_remarks = [
        form.data.get(form.add_prefix("remarks"), "").strip()
        for form in (forms_given or {}).values()
        if form.is_bound
    ]
    context = _plan_context(
        request,
        plan,
        latest=latest,
        content=readable_snapshot(latest.snapshot) if latest else None,
        checks=check_summary(latest.checks) if latest else None,
        reasons=[texts.get(code, code) for code in (latest.reasons if latest else [])],
        awaiting=plan.status in UnitPlan.AWAITING_BUREAU,
        own_version=bool(latest and latest.submitted_by_id == request.user.pk),
        forms=page_forms,
        refusals=refusals,
        kept_remarks=[text for text in kept_remarks if text],
        thread=thread(plan),
        message_form=MessageForm(initial={"return_to": "review"}),
        tab="review",
    )
    return render(request, "plans/review_plan.html", context, status=status)


@login_required
def review(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    require(request.user, "plans.review_plan", plan)
    return _review_page(request, plan)


DECISIONS = {
    "clarification": (
        services.request_clarification,
        gettext_lazy("Clarification requested; the unit has been told."),
    ),
    "return": (services.return_plan, gettext_lazy("The plan was returned to the unit.")),
    "accept": (services.accept, gettext_lazy("The plan was accepted and is now locked.")),
}


@login_required
@require_POST
def decide(request, unit_code, year, decision):
    plan = get_plan(request.user, unit_code, year)
    require(request.user, "plans.review_plan", plan)
    service, done = DECISIONS[decision]
    if decision == "accept":
        form = AcceptForm(request.POST, prefix=decision)
    else:
        form = DecisionForm(
            request.POST, prefix=decision, reasons=selectors.reason_texts(active_only=True)
        )
    status = 400
    if form.is_valid():
        latest = selectors.latest_number(plan)
        data = form.cleaned_data
        extra = {} if decision == "accept" else {"reasons": data["reasons"]}
        if latest is None:
            form.add_error(None, _("The unit has not submitted this plan yet."))
        elif latest != data["version"]:
            form.add_error(
                None,
                _(
                    "Another version was submitted after you opened this page. "
                    "Read the latest version, then decide again."
                ),
            )
            status = 409
        else:
            try:
                service(
                    actor=request.user,
                    plan=plan,
                    remarks=data["remarks"],
                    version=data["version"],
                    **extra,
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            except services.ConflictError as error:
                form_errors(form, error)
                status = 409
            except ValidationError as error:
                form_errors(form, error)
                status = 400
            else:
                messages.success(request, str(done))
                return redirect("plans:review_plan", unit_code=plan.unit.code, year=plan.year)
    plan.refresh_from_db()
    return _review_page(request, plan, forms_given={decision: form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def message_thread(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    form = MessageForm()
    if request.method == "POST":
        require(request.user, "plans.post_message", plan)
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                message = services.post_message(
                    actor=request.user, plan=plan, body=data["body"], files=data["files"]
                )
            except ValidationError as error:
                form_errors(form, error)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
                form.add_error(
                    "files", _("An attachment is damaged and cannot be read; nothing was sent.")
                )
            else:
                messages.success(request, _("Your message was posted."))
                name = "plans:review_plan" if data["return_to"] == "review" else None
                if name and request.user.has_perm("plans.review_plan", plan):
                    target = reverse(name, args=[plan.unit.code, plan.year])
                else:
                    target = reverse("plans:review_messages", args=[plan.unit.code, plan.year])
                return redirect(f"{target}#message-{message.pk}")
        if form.errors and "files" not in form.errors and request.FILES:
            form.add_error(None, _("Choose the attachments again; they were not kept."))
    return render(
        request,
        "plans/review_messages.html",
        _plan_context(
            request,
            plan,
            thread=thread(plan),
            message_form=form,
            tab="messages",
        ),
        status=200 if not form.errors else 400,
    )


def attachment_download(request, unit_code, year, pk):
    plan = get_plan(request.user, unit_code, year)
    attachment = selectors.attachment_of(plan, pk)
    if attachment is None or not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    return stored_file_response(
        attachment.file,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
    )
