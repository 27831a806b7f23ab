"""The import of units and officials from a workbook, its templates and the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rkpk.core.actions import error_sentence
from rkpk.organisation import importers, selectors, services
from rkpk.organisation.forms import ImportForm
from rkpk.organisation.views.common import MANAGE

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        result = importers.parse_upload(upload, kind=kind)
        if result.ok:
            write = services.import_units if kind == importers.UNITS else services.import_officials
            try:
                counts = write(actor=request.user, rows=result.rows, source=upload.name)
            except ValidationError as error:
                # Someone changed the organisation between the check and the write.
                messages.error(request, error_sentence(error))
            else:
                if result.ignored:
                    messages.warning(request, _ignored_text(result.ignored))
                messages.success(
                    request,
                    _(
                        "Import of %(file)s done: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "file": upload.name,
                        "created": counts.created,
                        "updated": counts.updated,
                        "unchanged": counts.unchanged,
                    },
                )
                return redirect("organisation:import")
    return render(
        request,
        "organisation/import.html",
        {"form": form, "result": result, "kinds": importers.KIND_CHOICES},
    )


def _ignored_text(columns: list[str]) -> str:
    return _("These columns were not read (ignored): %(columns)s.") % {
        "columns": ", ".join(columns)
    }


def _kind_or_404(kind: str) -> str:
    if kind not in importers.COLUMNS:
        raise Http404
    return kind


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_template(request, kind):
    kind = _kind_or_404(kind)
    return _xlsx_response(importers.build_workbook(kind), f"rkpk-{kind}-template.xlsx")


@login_required
@permission_required(MANAGE, raise_exception=True)
def export_data(request, kind):
    kind = _kind_or_404(kind)
    rows = selectors.unit_rows() if kind == importers.UNITS else selectors.official_rows()
    return _xlsx_response(importers.build_workbook(kind, rows), f"rkpk-{kind}.xlsx")
