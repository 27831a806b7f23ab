"""The plan's Excel workbook: download it pre-filled, upload it back, see what was wrong.

A failed upload is kept under MEDIA_ROOT/plans/uploads with a random name (with its list of
errors) for a day, so the uploader can download the annotated copy; the token is remembered
in their session and the file is served only through a permission-checked view.
"""

import json
import logging
import re
import secrets
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core.forms import BootstrapForm
from rkpk.organisation.models import Unit
from rkpk.plans import excel, services
from rkpk.plans.models import UnitPlan
from rkpk.plans.selectors import plans_for

logger = logging.getLogger(__name__)

UPLOAD_DIR = "plans/uploads"
KEEP_UPLOADS = timedelta(days=1)
SESSION_KEY = "plans_excel_uploads"
MAX_SESSION_UPLOADS = 10
MAX_ERRORS_SHOWN = 500
ROLLUPS_KEY = "plans_excel_rollups"  # the roll-up lines the last import recognised
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class UploadForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        help_text=gettext_lazy(
            "The plan's workbook, filled in: at most 10 MB, .xlsx without macros or password."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        allow_empty_file=True,  # the workbook check says what is wrong with it
    )


# --- Finding the plan -----------------------------------------------------------------------


def _visible_unit(user, unit_code: str) -> Unit:
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or not user.has_perm("plans.view_plan", unit):
        raise Http404
    return unit


def _plan(request, unit_code: str, year: int, *, perm: str, create: bool = False) -> UnitPlan:
    """The plan if the user may see it (404 otherwise, its existence not revealed) and holds
    `perm` (403 otherwise). With `create`, a missing plan is started for a user who may
    edit the unit's plan."""
    if not 2000 <= year <= 2100:
        raise Http404
    plan = plans_for(request.user).filter(unit__code=unit_code, year=year).first()
    if plan is None:
        unit = _visible_unit(request.user, unit_code)
        if not (create and request.user.has_perm("plans.edit_plan", unit)):
            raise Http404
        try:
            plan = services.get_or_create_plan(actor=request.user, unit=unit, year=year)
        except ValidationError as error:
            raise Http404(" ".join(error.messages)) from error
    if not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    if not request.user.has_perm(perm, plan):
        raise PermissionDenied(_("You may view this plan but not change it."))
    return plan


def _plan_page(plan: UnitPlan) -> str | None:
    """The editor's plan page, when that page exists."""
    try:
        return reverse("plans:plan_detail", args=[plan.unit.code, plan.year])
    except NoReverseMatch:
        return None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(plan: UnitPlan, suffix: str = "") -> str:
    code = re.sub(r"[^A-Za-z0-9._-]", "_", plan.unit.code)
    return f"RK-PK-{plan.year}-{code}{suffix}.xlsx"


# --- Kept uploads ---------------------------------------------------------------------------


def _clean_old_uploads() -> None:
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    limit = timezone.now() - KEEP_UPLOADS
    for name in files:
        path_ = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path_) < limit:
                default_storage.delete(path_)
        except OSError:  # removed by a parallel request
            continue


def _keep_upload(request, plan: UnitPlan, data: bytes, filename: str, result) -> str:
    """Store a failed upload and its errors; remember the token in the user's session."""
    _clean_old_uploads()
    token = secrets.token_hex(16)
    default_storage.save(f"{UPLOAD_DIR}/{token}.xlsx", ContentFile(data))
    # Each cell using a value not on a list is marked in the annotated copy.
    marks = [e.as_dict() for e in result.errors] + _unknown_value_cells(result)
    errors = json.dumps(marks, ensure_ascii=False)
    default_storage.save(f"{UPLOAD_DIR}/{token}.json", ContentFile(errors.encode()))
    kept = request.session.get(SESSION_KEY, {})
    kept[token] = {"plan": plan.pk, "name": filename[:200]}
    while len(kept) > MAX_SESSION_UPLOADS:
        kept.pop(next(iter(kept)))
    request.session[SESSION_KEY] = kept
    return token


def _unknown_value_cells(result) -> list[dict]:
    return [
        {**cell, "message": _("“%(value)s” is not on the list.") % {"value": group["value"]}}
        for group in getattr(result, "unknown_values", [])
        for cell in group["cells"]
    ]


def _reimport_offer(request, plan: UnitPlan, token: str) -> dict | None:
    """The kept upload `token` of this plan (after values were added to the lists)."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    if not entry or entry.get("plan") != plan.pk:
        return None
    return {"token": token, "name": entry.get("name", "")}


def _forget_upload(request, token: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    if kept.pop(token, None) is not None:
        request.session[SESSION_KEY] = kept
    for suffix in (".xlsx", ".json"):
        default_storage.delete(f"{UPLOAD_DIR}/{token}{suffix}")


def _kept_upload(request, plan: UnitPlan, token: str) -> tuple[bytes, list, str]:
    """(bytes, errors, file name) of an upload this user kept for this plan; 404 otherwise."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    if not entry or entry.get("plan") != plan.pk:
        raise Http404
    try:
        with default_storage.open(f"{UPLOAD_DIR}/{token}.xlsx") as stored:
            data = stored.read()
        with default_storage.open(f"{UPLOAD_DIR}/{token}.json") as stored:
            errors = json.loads(stored.read().decode())
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return data, errors, entry.get("name", "")


# --- Views ----------------------------------------------------------------------------------


@login_required
def template_download(request, unit_code, year):
    """The plan's workbook, pre-filled with its current content."""
    plan = _plan(request, unit_code, year, perm="plans.view_plan", create=True)
    return _xlsx(excel.build_workbook(plan), _filename(plan))


@login_required
def upload(request, unit_code, year):
    plan = _plan(request, unit_code, year, perm="plans.edit_plan", create=True)
    kept_token = request.POST.get("token", "") if request.method == "POST" else ""
    bound = request.method == "POST" and not kept_token
    form = UploadForm(request.POST if bound else None, request.FILES if bound else None)
    # "Import anyway" / "Replace anyway" carry the kept upload and what was confirmed.
    overwrite = bool(kept_token) and request.POST.get("overwrite") == "1"
    allow_shrink = bool(kept_token) and request.POST.get("allow_shrink") == "1"
    result, token, confirm = None, None, None
    data, filename = _upload_data(request, plan, form, kept_token, bound)
    if data is not None:
        try:
            result, token, confirm = _check_and_import(
                request, plan, data, filename, kept_token, overwrite, allow_shrink
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("plans:excel_upload", unit_code=plan.unit.code, year=plan.year)
        if result.ok and not confirm:
            return _imported(request, plan, result, filename, kept_token)
        if not result.ok and result.readable:
            token = kept_token or _keep_upload(request, plan, data, filename, result)
    return _upload_page(
        request,
        plan,
        form=form,
        result=result,
        token=token,
        overwrite=overwrite,
        filename=filename,
        confirm=confirm,
    )


def _upload_data(request, plan, form, kept_token: str, bound: bool) -> tuple[bytes | None, str]:
    """(bytes, file name) of the upload: the file kept from an earlier upload ("import
    anyway" after a conflict or shrink), or the one just sent; (None, name) when none."""
    if kept_token:
        data, _errors, filename = _kept_upload(request, plan, kept_token)
        return data, filename
    if not (bound and form.is_valid()):
        return None, ""
    upload_file = form.cleaned_data["file"]
    if upload_file.size > excel.MAX_BYTES:
        form.add_error("file", excel.too_large_message())
        return None, upload_file.name
    upload_file.seek(0)
    return upload_file.read(), upload_file.name


def _check_and_import(request, plan, data, filename, kept_token, overwrite, allow_shrink):
    """(result, token, confirm). A new upload is checked first (nothing written); "replace?"
    is asked only once every check passed, and only when the plan has content to replace.
    A kept upload posted back is the user's confirmation."""
    token, confirm = None, None
    result = excel.import_workbook(
        actor=request.user,
        plan=plan,
        data=data,
        filename=filename,
        overwrite=overwrite,
        allow_shrink=allow_shrink,
        dry_run=not kept_token,
    )
    if result.ok and not kept_token and not result.replaces:
        result = excel.import_workbook(actor=request.user, plan=plan, data=data, filename=filename)
    elif result.ok and not kept_token:
        token = _keep_upload(request, plan, data, filename, result)
        confirm = {"counts": result.counts, "replaces": result.replaces}
    return result, token, confirm


def _imported(request, plan, result, filename: str, kept_token: str):
    if kept_token:
        _forget_upload(request, kept_token)
    messages.success(request, _success_message(filename, result.counts))
    for warning in result.warnings:
        messages.warning(request, _warning_text(warning))
    if result.rollups:
        # Lines recognised as roll-ups are reviewed (and undone) on the workbook page.
        request.session[ROLLUPS_KEY] = {"plan": plan.pk, "items": result.rollups}
        return redirect("plans:excel_upload", unit_code=plan.unit.code, year=plan.year)
    request.session.pop(ROLLUPS_KEY, None)
    # Back to the plan, with the import's summary in the messages.
    return redirect(
        _plan_page(plan) or reverse("plans:excel_upload", args=[plan.unit.code, plan.year])
    )


def _upload_page(request, plan, *, form, result, token, overwrite, filename, confirm):
    errors = result.errors if result else []
    report_url = reverse("plans:excel_upload", args=[plan.unit.code, plan.year])
    return render(
        request,
        "plans/excel_upload.html",
        {
            # values not on the lists: the bureau may add them from here, then import again
            "unknown_values": result.unknown_values if result else [],
            "can_add_values": request.user.has_perm("plans.manage_lists"),
            "report_url": f"{report_url}?token={token}" if token else report_url,
            "reimport": _reimport_offer(request, plan, request.GET.get("token", ""))
            if request.method == "GET"
            else None,
            "plan": plan,
            "form": form,
            "result": result,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "token": token,
            "overwrite": overwrite,
            "filename": filename,
            "plan_page": _plan_page(plan),
            "rollups": _recognised_rollups(request, plan),
            "confirm": confirm,
            "warnings": result.warnings if result and confirm else [],
        },
    )


def _recognised_rollups(request, plan: UnitPlan) -> list[dict]:
    kept = request.session.get(ROLLUPS_KEY) or {}
    return kept.get("items", []) if kept.get("plan") == plan.pk else []


@login_required
def rollups_action(request, unit_code, year):
    """Undo (or apply) the roll-up marks the last import of this plan recognised."""
    plan = _plan(request, unit_code, year, perm="plans.edit_plan")
    items = _recognised_rollups(request, plan)
    action = request.POST.get("action") if request.method == "POST" else None
    if not items or action not in ("undo", "apply"):
        return redirect("plans:excel_upload", unit_code=plan.unit.code, year=plan.year)
    apply = action == "apply"
    try:
        services.mark_rollups(
            actor=request.user,
            plan=plan,
            pairs=[(i["activity_id"], i["unit_id"] if apply else None) for i in items],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for item in items:
            item["applied"] = apply
        request.session[ROLLUPS_KEY] = {"plan": plan.pk, "items": items}
        messages.success(
            request,
            _("The lines are marked as roll-ups.")
            if apply
            else _("The roll-up marks are removed; the lines count as the unit's own activities."),
        )
    return redirect("plans:excel_upload", unit_code=plan.unit.code, year=plan.year)


def _warning_text(warning) -> str:
    """A warning of the import (allowed, but worth a second look), with its cell."""
    return _("%(sheet)s row %(row)s, %(header)s: %(message)s") % {
        "sheet": warning.sheet,
        "row": warning.row,
        "header": warning.field,
        "message": warning.message,
    }


def _success_message(filename: str, counts: dict) -> str:
    return _(
        "%(file)s imported. Goals: %(goals)s, indicators: %(indicators)s, "
        "programs/activities: %(activities)s, activity indicators: %(outputs)s. They "
        "replace the plan's previous content."
    ) % {
        "file": filename,
        "goals": counts["goals"],
        "indicators": counts["indicators"],
        "activities": counts["activities"],
        "outputs": counts["activity_indicators"],
    }


@login_required
def annotated_download(request, unit_code, year, token):
    """The uploaded workbook with its errors marked, for the user who uploaded it."""
    plan = _plan(request, unit_code, year, perm="plans.edit_plan")
    data, errors, filename = _kept_upload(request, plan, token)
    return _xlsx(excel.annotate_workbook(data, errors), _filename(plan, "-kesalahan"))
