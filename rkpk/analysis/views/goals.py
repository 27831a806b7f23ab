"""Strategic goals pages: the list per period (everyone with a role), the administrator's
edit forms, ministry indicators with yearly targets, XLSX import and template."""

import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.analysis import goal_import, goals, selectors, services
from rkpk.analysis.models import MinistryIndicator, RenstraPeriod, StrategicGoal
from rkpk.core.actions import flash_errors
from rkpk.core.formatting import format_number
from rkpk.core.sheet_reader import SheetFileError
from rkpk.organisation.selectors import unit_tree
from rkpk.plans import lists
from rkpk.plans.models import QualitativeValue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required("analysis.view_goals", raise_exception=True)
def goal_list(request):
    periods = list(selectors.periods())
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    period = chosen or (periods[0] if periods else None)
    period_goals = list(selectors.goals_with_targets(period)) if period else []
    years = list(range(period.start_year, period.end_year + 1)) if period else []
    for goal in period_goals:
        for ind in goal.indicators.all():
            by_year = {t.year: t for t in ind.targets.all()}
            for target in by_year.values():
                target.display = goals.format_target(target)
                target.min_display = format_number(target.min_value)
                target.max_display = format_number(target.max_value)
            ind.row_targets = [by_year.get(y) for y in years]
            ind.year_targets = [(y, by_year.get(y)) for y in years]
            ind.unit_ids = {u.pk for u in ind.responsible_units.all()}
    can_manage = request.user.has_perm("analysis.manage_goals")
    unit_rows = []
    if can_manage and period_goals:
        # Inactive units stay listed (marked) so that saving keeps those already chosen.
        inactive = " (" + _("inactive") + ")"
        unit_rows = [
            {
                "pk": row.unit.pk,
                "label": f"{'— ' * row.depth}{row.unit.code} {row.unit.name}"
                + ("" if row.unit.is_active else inactive),
            }
            for row in unit_tree(request.user, with_heads=False, include_inactive=True)
        ]
    return render(
        request,
        "analysis/goals_list.html",
        {
            "periods": periods,
            "period": period,
            "goals": period_goals,
            "years": years,
            "year_blanks": [(y, None) for y in years],
            "has_examples": any(g.is_example for g in period_goals),
            "can_manage": can_manage,
            "aggregations": MinistryIndicator.Aggregation.choices,
            "polarities": MinistryIndicator.Polarity.choices,
            "unit_rows": unit_rows,
            "qualitative_values": (
                list(
                    QualitativeValue.objects.filter(is_active=True).values_list("value", flat=True)
                )
                if can_manage
                else []
            ),
            # the satuan the indicator form offers (the list's active values)
            "measure_units": lists.active_names(lists.MEASURES) if can_manage else [],
        },
    )


def _back(period_id) -> str:
    return reverse("analysis:goal_list") + f"?period={period_id}"


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
@require_POST
def goals_period_add(request):
    try:
        period = services.create_period(
            actor=request.user,
            name=request.POST.get("name", ""),
            start_year=int(request.POST.get("start_year") or 0),
            end_year=int(request.POST.get("end_year") or 0),
        )
    except (ValidationError, ValueError) as error:
        flash_errors(
            request,
            error
            if isinstance(error, ValidationError)
            else ValidationError(_("Give the years as numbers.")),
        )
        return redirect("analysis:goal_list")
    return redirect(_back(period.pk))


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
@require_POST
def goals_goal_save(request, period_id: int, goal_id: int | None = None):
    period = get_object_or_404(RenstraPeriod, pk=period_id)
    try:
        if request.POST.get("delete") and goal_id:
            goal = get_object_or_404(StrategicGoal, pk=goal_id, period=period)
            services.delete_goal(actor=request.user, goal=goal)
        elif goal_id:
            goal = get_object_or_404(StrategicGoal, pk=goal_id, period=period)
            services.update_goal(
                actor=request.user,
                goal=goal,
                code=request.POST.get("code", ""),
                text=request.POST.get("text", ""),
            )
        else:
            services.create_goal(
                actor=request.user,
                period=period,
                code=request.POST.get("code", ""),
                text=request.POST.get("text", ""),
            )
        messages.success(request, _("Saved."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(_back(period.pk))


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
@require_POST
def goals_indicator_save(request, goal_id: int, indicator_id: int | None = None):
    goal = get_object_or_404(StrategicGoal.objects.select_related("period"), pk=goal_id)
    post = request.POST
    fields = {
        "code": post.get("code", ""),
        "name": post.get("name", ""),
        "measure": post.get("measure", ""),
        "aggregation": post.get("aggregation", "sum"),
    }
    if "polarity" in post:
        fields["polarity"] = post.get("polarity", "")
    if "perspective" in post:
        fields["perspective"] = post.get("perspective", "")
    if "units_shown" in post:  # the form shows the units: none chosen clears them
        fields["responsible_units"] = post.getlist("responsible_units")
    try:
        with transaction.atomic():
            if indicator_id:
                indicator = get_object_or_404(MinistryIndicator, pk=indicator_id, goal=goal)
                if post.get("delete"):
                    services.delete_indicator(actor=request.user, indicator=indicator)
                    messages.success(request, _("Deleted."))
                    return redirect(_back(goal.period_id))
            else:
                indicator = None
            services.save_indicator(
                actor=request.user,
                goal=goal,
                indicator=indicator,
                fields=fields,
                targets=_posted_targets(post, goal.period),
            )
        messages.success(request, _("Saved."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(_back(goal.period_id))


def _posted_targets(post, period) -> dict[int, dict]:
    """year -> set_target keywords from the form: a number (or a range or value typed in
    the same box), a range's minimum and maximum, or a value of the qualitative list."""
    targets, errors = {}, {}
    for year in range(period.start_year, period.end_year + 1):
        names = [f"{k}_{year}" for k in ("target", "min", "max", "text")]
        if not any(name in post for name in names):
            continue
        typed = goals.split_target(post.get(f"target_{year}", ""))
        low, high = post.get(f"min_{year}", "").strip(), post.get(f"max_{year}", "").strip()
        ranged = {"min_value": low, "max_value": high} if low or high else {}
        text = post.get(f"text_{year}", "").strip()
        chosen = {"text": text} if text else {}
        given = [part for part in (typed, ranged, chosen) if part]
        if len(given) > 1:
            errors[f"target_{year}"] = _(
                "%(year)s: give either a number, a range (minimum and maximum) or a "
                "qualitative value, not more than one."
            ) % {"year": year}
            continue
        targets[year] = given[0] if given else {}
    if errors:
        raise ValidationError(errors)
    return targets


# A file refused for values not on the lists is kept, so that once the bureau has added them
# it imports again as it was uploaded (no second upload).
UPLOAD_DIR = "analysis/goal-uploads"
SESSION_KEY = "analysis_goal_uploads"
MAX_SESSION_UPLOADS = 5
KEEP_UPLOADS = timedelta(days=1)
TOKEN = re.compile(r"^[0-9a-f]{32}$")
MANAGE_LISTS = "plans.manage_lists"


def _clean_old_uploads() -> None:
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    limit = timezone.now() - KEEP_UPLOADS
    for name in files:
        try:
            if default_storage.get_modified_time(f"{UPLOAD_DIR}/{name}") < limit:
                default_storage.delete(f"{UPLOAD_DIR}/{name}")
        except OSError:  # removed by a parallel request
            continue


def _keep_upload(request, data: bytes, filename: str) -> str:
    _clean_old_uploads()
    token = secrets.token_hex(16)
    default_storage.save(f"{UPLOAD_DIR}/{token}.xlsx", ContentFile(data))
    kept = request.session.get(SESSION_KEY, {})
    kept[token] = filename[:200]
    while len(kept) > MAX_SESSION_UPLOADS:
        default_storage.delete(f"{UPLOAD_DIR}/{kept.pop(next(iter(kept)))}.xlsx")
    request.session[SESSION_KEY] = kept
    return token


def _kept_name(request, token: str) -> str | None:
    """The file name of an upload this user kept under `token`; None when there is none."""
    if not TOKEN.match(token or ""):
        return None
    return request.session.get(SESSION_KEY, {}).get(token)


def _forget_upload(request, token: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    if kept.pop(token, None) is not None:
        request.session[SESSION_KEY] = kept
    default_storage.delete(f"{UPLOAD_DIR}/{token}.xlsx")


def _kept_upload(request, token: str):
    """The kept file as an upload, or None when it is gone."""
    name = _kept_name(request, token)
    if name is None:
        return None
    try:
        with default_storage.open(f"{UPLOAD_DIR}/{token}.xlsx") as stored:
            return ContentFile(stored.read(), name=name)
    except (FileNotFoundError, OSError):
        return None


@login_required
@permission_required("analysis.manage_goals", raise_exception=True)
def goals_import(request):
    summary = file_error = token = None
    filename = ""
    if request.method == "POST":
        kept_token = request.POST.get("token", "")
        upload = _kept_upload(request, kept_token) if kept_token else request.FILES.get("file")
        if upload is None:
            file_error = (
                _("The kept file is no longer available; upload it again.")
                if kept_token
                else _("Choose a file.")
            )
        else:
            filename = upload.name or ""
            try:
                summary = services.import_goals(
                    actor=request.user, upload=upload, filename=filename
                )
            except SheetFileError as error:
                file_error = error.message
            if summary and summary.ok and kept_token:
                _forget_upload(request, kept_token)
            elif summary and summary.unknown_values and request.user.has_perm(MANAGE_LISTS):
                upload.seek(0)
                token = kept_token or _keep_upload(request, upload.read(), filename)
            if summary and summary.ok:
                messages.success(
                    request,
                    _("Imported %(g)s goals, %(i)s indicators and %(t)s targets.")
                    % {"g": summary.goals, "i": summary.indicators, "t": summary.targets},
                )
                if summary.ignored_columns:
                    messages.warning(
                        request,
                        _("These columns were not read: %(cols)s.")
                        % {"cols": ", ".join(summary.ignored_columns)},
                    )
                return redirect("analysis:goal_list")
    report_url = reverse("analysis:goals_import")
    reimport_token = request.GET.get("token", "") if request.method == "GET" else ""
    reimport_name = _kept_name(request, reimport_token)
    return render(
        request,
        "analysis/goals_import.html",
        {
            "summary": summary,
            "file_error": file_error,
            "periods": selectors.periods(),
            # values not on the lists: the bureau may add them from here, then import again
            "unknown_values": summary.unknown_values if summary else [],
            "can_add_values": request.user.has_perm(MANAGE_LISTS),
            "report_url": f"{report_url}?token={token}" if token else report_url,
            "filename": filename,
            "goal_reimport": {"token": reimport_token, "name": reimport_name}
            if reimport_name is not None
            else None,
        },
    )


@login_required
@permission_required("analysis.view_goals", raise_exception=True)
def goals_template(request):
    period = RenstraPeriod.objects.filter(pk=request.GET.get("period") or 0).first()
    response = HttpResponse(goal_import.template_workbook(period), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="sasaran-stratejik.xlsx"'
    return response
