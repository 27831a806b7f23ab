"""Filing a complaint and the complainant's own list ("My complaints")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rkpk.complaints import selectors, services
from rkpk.complaints.forms import ComplaintForm, step_choices
from rkpk.complaints.views.common import query_without_page
from rkpk.core.actions import form_errors
from rkpk.core.calendar import today
from rkpk.core.selectors import paginate
from rkpk.procedure.selectors import cycles_for


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
        {"page": page, "query": query_without_page(request)},
    )
