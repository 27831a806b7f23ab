"""Officials: the list, a new official and editing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rkpk.core.actions import form_errors
from rkpk.core.selectors import paginate
from rkpk.organisation import selectors, services
from rkpk.organisation.forms import OfficialFilterForm, OfficialForm
from rkpk.organisation.models import Official
from rkpk.organisation.views.common import MANAGE, query_without_page


@login_required
@permission_required("organisation.view_officials", raise_exception=True)
def official_list(request):
    form = OfficialFilterForm(request.GET or None, units=selectors.units_for(request.user))
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"query": data["q"], "unit": data["unit"], "status": data["status"]}
    officials = selectors.search_officials(request.user, **filters).prefetch_related(
        selectors.current_posts_prefetch()
    )
    return render(
        request,
        "organisation/official_list.html",
        {
            "form": form,
            "page": paginate(request, officials, per_page=50),
            "query": query_without_page(request),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def official_create(request):
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            official = services.create_official(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Official %(name)s created.") % {"name": official.name})
            return redirect("organisation:official_list")
    return render(request, "organisation/official_form.html", {"form": form, "official": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def official_edit(request, pk):
    official = get_object_or_404(Official.objects.select_related("unit"), pk=pk)
    form = OfficialForm(request.POST or None, official=official)
    if request.method == "POST" and form.is_valid():
        try:
            official = services.update_official(
                actor=request.user, official=official, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Official %(name)s saved.") % {"name": official.name})
            return redirect("organisation:official_list")
    posts = list(official.headships.select_related("unit").order_by("-starts_on", "-pk"))
    for post in posts:
        post.title = selectors.post_title(post.unit, post.kind) or post.unit.name
    return render(
        request,
        "organisation/official_form.html",
        {"form": form, "official": official, "posts": posts},
    )
