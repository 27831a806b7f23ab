"""Screens of complaints, mounted at /complaints/.

  ""                       the register for those who read it, else "My complaints"
  new/                     file a complaint (anyone signed in with a role)
  new/steps/               the step options of a cycle (htmx)
  mine/                    the complaints the user filed, with status and answer
  register/                every complaint: search, filters, pages (the bureau, admin, viewer)
  register/export.xlsx     the filtered register as XLSX
  statistics/              counts, median working days to answer, share in time, chart
  <pk>/                    a complaint: timeline and the actions the user may take
  <pk>/{delegate,follow-up,answer,close,withdraw,rate}/   the actions (POST)
  <pk>/attachments/<id>/   an attachment (only to those who see the complaint)

A user who may not see a complaint gets 404; the register is 403 to those who do not read it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS_3
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rkpk.complaints import export, selectors, services
from rkpk.complaints.forms import (
    AnswerForm,
    CloseForm,
    ComplaintForm,
    DelegateForm,
    FollowUpForm,
    RateForm,
    RegisterFilterForm,
    WithdrawForm,
    step_choices,
)
from rkpk.complaints.models import Complaint, ComplaintAttachment
from rkpk.core.actions import flash_errors, form_errors
from rkpk.core.calendar import today
from rkpk.core.downloads import stored_file_response
from rkpk.core.selectors import paginate
from rkpk.procedure.selectors import cycles_for

Status = Complaint.Status


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def get_complaint(user, pk: int) -> Complaint:
    """The complaint if the user may see it; 404 otherwise (its existence is not revealed)."""
    complaint = selectors.complaints_for(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


def allowed_actions(user, complaint: Complaint) -> dict[str, bool]:
    status = complaint.status
    return {
        "delegate": complaint.is_open and user.has_perm("complaints.delegate", complaint),
        "follow_up": status in (Status.DELEGATED, Status.IN_FOLLOW_UP)
        and user.has_perm("complaints.follow_up", complaint),
        "answer": complaint.is_open and user.has_perm("complaints.answer", complaint),
        "close": status == Status.ANSWERED and user.has_perm("complaints.close", complaint),
        "withdraw": complaint.is_open and user.has_perm("complaints.withdraw", complaint),
        "rate": status in (Status.ANSWERED, Status.CLOSED)
        and complaint.satisfaction is None
        and user.has_perm("complaints.rate", complaint),
    }


@login_required
def index(request):
    if request.user.has_perm("complaints.view_register"):
        return redirect("complaints:register")
    if not request.user.has_perm("complaints.file"):
        raise PermissionDenied
    return redirect("complaints:mine")


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("complaints.file", raise_exception=True)
def file_complaint(request):
    form = ComplaintForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.file_complaint(
                    actor=request.user,
                    category=data["category"],
                    subject=data["subject"],
                    text=data["text"],
                    cycle=data["cycle"],
                    step_number=data["step_number"],
                    files=[data["attachment"]] if data.get("attachment") else [],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your complaint was received as %(number)s.") % {"number": complaint.number},
                )
                return redirect("complaints:detail", pk=complaint.pk)
    return render(request, "complaints/file.html", {"form": form}, status=status)


@login_required
@require_GET
@permission_required("complaints.file", raise_exception=True)
def step_options(request):
    """The <option>s of the step select for the chosen cycle (htmx)."""
    raw = request.GET.get("cycle", "")
    cycle = cycles_for(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
    html = format_html_join("", '<option value="{}">{}</option>', step_choices(cycle))
    return HttpResponse(html)


@login_required
@permission_required("complaints.file", raise_exception=True)
def mine(request):
    complaints = selectors.own_complaints(request.user)
    page = paginate(request, complaints, per_page=20)
    on = today()
    for complaint in page.object_list:
        complaint.overdue = complaint.is_overdue(on)
    return render(
        request,
        "complaints/mine.html",
        {"page": page, "query": _query_without_page(request)},
    )


def _filtered(request):
    form = RegisterFilterForm(request.GET or None)
    complaints = selectors.search(
        selectors.complaints_for(request.user), **form.filters(), on=today()
    )
    return form, complaints


@login_required
@permission_required("complaints.view_register", raise_exception=True)
def register(request):
    form, complaints = _filtered(request)
    page = paginate(request, complaints)
    on = today()
    for complaint in page.object_list:
        complaint.overdue = complaint.is_overdue(on)
    return render(
        request,
        "complaints/register.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "filtered": bool(form.is_bound and form.filters()),
            "today": on,
        },
    )


@login_required
@permission_required("complaints.view_register", raise_exception=True)
def register_xlsx(request):
    _form, complaints = _filtered(request)
    response = HttpResponse(
        export.register_workbook(complaints, today()), content_type=export.XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="pengaduan-{today():%Y%m%d}.xlsx"'
    return response


def month_names() -> list[str]:
    return [str(MONTHS_3[m]).capitalize() for m in range(1, 13)]


@login_required
@permission_required("complaints.view_statistics", raise_exception=True)
def statistics(request):
    years = selectors.years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else today().year)
    stats = selectors.statistics(year=year)
    return render(
        request,
        "complaints/statistics.html",
        {
            "stats": stats,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "chart": selectors.month_chart(stats, month_names()),
            "delegate_days": services.delegate_days(),
            "answer_days": services.answer_days(),
        },
    )


def _detail(request, complaint: Complaint, forms: dict | None = None, status: int = 200):
    user = request.user
    actions = allowed_actions(user, complaint)
    internal = user.has_perm("complaints.view_register")
    forms = forms or {}
    context = {
        "complaint": complaint,
        "actions": actions,
        "internal": internal,
        "overdue": complaint.is_overdue(today()),
        "delegation_overdue": complaint.delegation_overdue(today()),
        "answer_overdue": complaint.answer_overdue(today()),
        "timeline": selectors.timeline(complaint, internal=internal),
        "attachments": list(complaint.attachments.all()),
        "delegate_form": forms.get("delegate") or (DelegateForm() if actions["delegate"] else None),
        "follow_up_form": forms.get("follow_up") or FollowUpForm(),
        "answer_form": forms.get("answer") or AnswerForm(),
        "close_form": forms.get("close") or CloseForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "rate_form": forms.get("rate") or RateForm(),
    }
    if complaint.cycle_id and complaint.step_number:
        step = (
            complaint.cycle.steps.filter(number=complaint.step_number)
            .select_related("standard_step")
            .first()
        )
        context["step"] = step
    return render(request, "complaints/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, get_complaint(request.user, pk))


def _form_action(request, pk: int, key: str, form_class, perform, success: str):
    """Run an action from its form; on a refusal show the page again with the errors."""
    complaint = get_complaint(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            perform(complaint, form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form_errors(form, error)
            else:
                # A refusal of the state (e.g. closing before the answer): shown at the top,
                # since the action's form may not be on the page.
                flash_errors(request, error)
        else:
            messages.success(request, success)
            return redirect("complaints:detail", pk=complaint.pk)
    return _detail(request, complaint, {key: form}, status=400)


@login_required
@require_POST
def delegate(request, pk: int):
    return _form_action(
        request,
        pk,
        "delegate",
        DelegateForm,
        lambda c, d: services.delegate(actor=request.user, complaint=c, to=d["to"], note=d["note"]),
        _("The complaint was delegated."),
    )


@login_required
@require_POST
def follow_up(request, pk: int):
    return _form_action(
        request,
        pk,
        "follow_up",
        FollowUpForm,
        lambda c, d: services.add_follow_up(actor=request.user, complaint=c, action=d["action"]),
        _("The follow-up action was recorded."),
    )


@login_required
@require_POST
def answer(request, pk: int):
    return _form_action(
        request,
        pk,
        "answer",
        AnswerForm,
        lambda c, d: services.answer(actor=request.user, complaint=c, text=d["text"]),
        _("The answer was sent to the complainant."),
    )


@login_required
@require_POST
def close(request, pk: int):
    return _form_action(
        request,
        pk,
        "close",
        CloseForm,
        lambda c, d: services.close(actor=request.user, complaint=c, note=d["note"]),
        _("The complaint was closed."),
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    return _form_action(
        request,
        pk,
        "withdraw",
        WithdrawForm,
        lambda c, d: services.withdraw(actor=request.user, complaint=c, reason=d["reason"]),
        _("Your complaint was withdrawn."),
    )


@login_required
@require_POST
def rate(request, pk: int):
    return _form_action(
        request,
        pk,
        "rate",
        RateForm,
        lambda c, d: services.rate(
            actor=request.user, complaint=c, satisfaction=d["satisfaction"], note=d["note"]
        ),
        _("Thank you for your rating."),
    )


def attachment_response(attachment: ComplaintAttachment) -> FileResponse:
    return stored_file_response(
        attachment.file,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
    )


def attachment_download(request, pk: int, attachment_pk: int):
    complaint = get_complaint(request.user, pk)
    attachment = complaint.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
