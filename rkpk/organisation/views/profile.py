"""The organisation profile page: everyone with a role reads it, the administrator edits it
(through rkpk.organisation.profile.update_profile), and the logo is served privately."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rkpk.core.actions import form_errors
from rkpk.core.downloads import stored_file_response
from rkpk.organisation import profile as organisation_profile
from rkpk.organisation.forms_profile import ProfileForm

VIEW = "organisation.view_profile"
MANAGE = organisation_profile.MANAGE


@login_required
@permission_required(VIEW, raise_exception=True)
def profile_detail(request):
    profile = organisation_profile.current_profile()
    return render(
        request,
        "organisation/profile_detail.html",
        {
            "profile": profile,
            "configured": organisation_profile.is_configured(),
            "address_lines": organisation_profile.address_lines(profile.address),
            "may_edit": request.user.has_perm(MANAGE),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def profile_edit(request):
    profile = organisation_profile.current_profile()
    form = ProfileForm(request.POST or None, request.FILES or None, profile=profile)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            logo = data.pop("logo", None) or None
            remove_logo = data.pop("remove_logo", False)
            try:
                organisation_profile.update_profile(
                    actor=request.user, logo=logo, remove_logo=remove_logo, **data
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Organisation profile saved."))
                return redirect("organisation:profile")
        status = 422
    return render(
        request,
        "organisation/profile_form.html",
        {"form": form, "profile": profile},
        status=status,
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def profile_logo(request):
    found = organisation_profile.logo_bytes()
    if not found:
        raise Http404
    profile = organisation_profile.current_profile()
    _content, kind = found
    extension = "png" if kind == "image/png" else "jpg"
    response = stored_file_response(
        profile.logo, original_name=f"logo.{extension}", content_type=kind
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1
    )
    return response
