"""The official documents (naskah dinas) and the inbox, mounted at /correspondence/.

  ""                               documents the user may see (search, filters)
  new/                             a new draft from a template
  <pk>/                            a document: preview, status, reviews, actions, expedition
  <pk>/edit/                       edit a draft (with its revision: a stale save is refused)
  <pk>/{send-for-review,review,sign,register,correct}/   the lifecycle (POST)
  <pk>/file/<pdf|docx>/            the document as PDF (the official one once registered) or DOCX
  inbox/                           what the user must review, sign, register or acknowledge

The agenda books and the master data are in .registers, the expedition book in .dispatch;
the routes in rkpk.correspondence.urls.

A user who may not see a document gets 404; one who sees it but may not act, 403.
"""

import contextlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.core.actions import form_errors, require
from rkpk.core.formatting import format_date_id
from rkpk.core.models import AuditEvent
from rkpk.core.selectors import paginate
from rkpk.correspondence import dispatch, rendering, selectors, services
from rkpk.correspondence.forms import (
    DocumentCreateForm,
    DocumentEditForm,
    DocumentFilterForm,
    ReasonForm,
    ReviewForm,
    SignForm,
)
from rkpk.correspondence.models import Document, LetterTemplate

Status = Document.Status
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CORRECTABLE = (Status.SIGNED, Status.REGISTERED, Status.DISPATCHED)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def get_document(user, pk: int) -> Document:
    """The document if the user may see it; 404 otherwise (its existence is not revealed)."""
    document = selectors.documents_for(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def allowed_actions(user, document: Document) -> dict[str, bool]:
    """What the user may do with the document now (its state and their roles)."""
    status = document.status
    ready_to_sign = Status.APPROVED if document.requires_review else Status.DRAFT
    return {
        "edit": status == Status.DRAFT and user.has_perm("correspondence.edit_document", document),
        "send_for_review": status == Status.DRAFT
        and document.requires_review
        and user.has_perm("correspondence.send_for_review", document),
        "review": status == Status.IN_REVIEW and user.has_perm("correspondence.review", document),
        "sign": status == ready_to_sign and user.has_perm("correspondence.sign", document),
        "register": status == Status.SIGNED and user.has_perm("correspondence.register", document),
        "correct": status in CORRECTABLE and user.has_perm("correspondence.correct", document),
    }


def _mark_opened(user, document: Document) -> None:
    """The first time a user of a recipient unit opens the document, the expedition book
    records it."""
    with contextlib.suppress(PermissionDenied, ValidationError):
        dispatch.note_opened(actor=user, document=document)


def _recipient_lines(user, document: Document) -> list:
    """The expedition book's lines the user may read (all for the ministry, their own
    unit's otherwise)."""
    return list(dispatch.recipient_lines(user, document))


def versions_of(document: Document) -> list[Document]:
    """Every version of the document, oldest first (a correction is a new version)."""
    chain = [document]
    current = document
    while current.previous_id:
        current = Document.objects.only("id", "version", "status", "number", "previous_id").get(
            pk=current.previous_id
        )
        chain.insert(0, current)
    newer = Document.objects.filter(previous=document).only("id", "version", "status", "number")
    while (following := newer.first()) is not None:
        chain.append(following)
        newer = Document.objects.filter(previous=following).only(
            "id", "version", "status", "number"
        )
    return chain


def _detail(request, document: Document, *, forms=None, status: int = 200):
    user = request.user
    actions = allowed_actions(user, document)
    page_forms = {
        "review": ReviewForm(prefix="review"),
        "sign": SignForm(prefix="sign"),
        "correct": ReasonForm(prefix="correct"),
    }
    page_forms.update(forms or {})
    # Refusals of an action no longer offered (the document moved on) are shown on their own.
    refusals = [
        text
        for key, form in (forms or {}).items()
        if not actions.get(key)
        for texts in form.errors.values()
        for text in texts
    ]
    history = AuditEvent.objects.filter(
        object_type="correspondence.document", object_id=str(document.pk)
    ).order_by("seq")
    context = {
        "document": document,
        "actions": actions,
        "any_action": any(actions.values()),
        "refusals": refusals,
        "forms": page_forms,
        "reviews": document.reviews.select_related("reviewer").order_by("at"),
        "recipients": _recipient_lines(user, document),
        "versions": versions_of(document),
        "history": history,
        "paragraphs": [p for p in re.split(r"\n\s*\n", document.body.strip()) if p.strip()],
        "addressees": [line for line in document.addressee.splitlines() if line.strip()],
        "copy_lines": [line for line in document.copies.splitlines() if line.strip()],
        "letterhead_lines": rendering.letterhead_lines(document),
        "document_date": format_date_id(
            timezone.localdate(document.registered_at or document.signed_at or timezone.now())
        ),
    }
    return render(request, "correspondence/document_detail.html", context, status=status)


# --- Documents ------------------------------------------------------------------------------


@login_required
@permission_required("correspondence.view_documents", raise_exception=True)
def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    documents = selectors.search_documents(request.user, **filters)
    return render(
        request,
        "correspondence/document_list.html",
        {
            "form": form,
            "page": paginate(request, documents),
            "query": _query_without_page(request),
            "may_draft": request.user.has_perm("correspondence.draft"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    require(request.user, "correspondence.draft")
    initial = {}
    if request.GET.get("template", "").isdigit():
        initial["template"] = int(request.GET["template"])
    form = DocumentCreateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            template, cycle = data["template"], data["cycle"]
            year = data["year"] or (cycle.year if cycle else timezone.localdate().year)
            values = {
                "cycle": cycle.name if cycle else "",
                "year": year,
                "deadline": format_date_id(data["deadline"]),
                "recipients": data["recipients"],
                "sender": services.fill(template.signer_position, services.profile_values({})),
                "date": format_date_id(timezone.localdate()),
            }
            values["subject"] = services.fill(template.subject, values)
            try:
                document = services.create_from_template(
                    actor=request.user,
                    template=template,
                    values=values,
                    addressee=data["addressee"].strip(),
                    copies=data["copies"].strip(),
                    cycle=cycle,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The draft was created."))
                return redirect("correspondence:document_detail", pk=document.pk)
    profile_values = services.profile_values({})
    templates = list(LetterTemplate.objects.filter(is_active=True))
    for template in templates:  # "{minister_title}" as the profile names it
        template.signer_position = services.fill(template.signer_position, profile_values)
    return render(
        request,
        "correspondence/document_create.html",
        {"form": form, "templates": templates},
        status=status,
    )


@login_required
def document_detail(request, pk):
    document = get_document(request.user, pk)
    _mark_opened(request.user, document)
    return _detail(request, document)


def _conflict_rows(form: DocumentEditForm, document: Document) -> list[tuple]:
    rows = []
    for name in services.EDIT_FIELDS:
        theirs = getattr(document, name)
        yours = form.data.get(name, "")
        if str(theirs).replace("\r\n", "\n").strip() != str(yours).replace("\r\n", "\n").strip():
            rows.append((form.fields[name].label, theirs, yours))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = get_document(request.user, pk)
    require(request.user, "correspondence.edit_document", document)
    if request.method == "GET" and not document.is_editable:
        messages.error(
            request, _("A signed or submitted document never changes; make a correction instead.")
        )
        return redirect("correspondence:document_detail", pk=document.pk)
    initial = {name: getattr(document, name) for name in services.EDIT_FIELDS}
    initial["revision"] = document.revision
    form = DocumentEditForm(request.POST or None, initial=initial)
    conflict, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop("revision")
            try:
                services.update_draft(
                    actor=request.user, document=document, revision=revision, **data
                )
            except services.ConflictError as error:
                document.refresh_from_db()
                conflict = {
                    "message": " ".join(error.messages),
                    "rows": _conflict_rows(form, document),
                    "revision": document.revision,
                }
                # The user's input is kept; saving again writes it over the newer version.
                form.data = form.data.copy()
                form.data["revision"] = document.revision
                status = 409
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("correspondence:document_detail", pk=document.pk)
    return render(
        request,
        "correspondence/document_edit.html",
        {"document": document, "form": form, "conflict": conflict},
        status=status,
    )


def _act(request, pk, *, perm: str, prefix: str | None, form_class, run, done):
    """A lifecycle action (POST): 404 if unseen, 403 if not allowed, 400 if refused."""
    document = get_document(request.user, pk)
    require(request.user, perm, document)
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, document, forms={prefix: form}, status=400)
    try:
        result = run(document, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            document.refresh_from_db()
            return _detail(request, document, status=400)
        form_errors(form, error)
        document.refresh_from_db()
        return _detail(request, document, forms={prefix: form}, status=400)
    messages.success(request, done(result) if callable(done) else done)
    target = result if isinstance(result, Document) else document
    return redirect("correspondence:document_detail", pk=target.pk)


@login_required
@require_POST
def document_send_for_review(request, pk):
    return _act(
        request,
        pk,
        perm="correspondence.send_for_review",
        prefix=None,
        form_class=None,
        run=lambda d, _data: services.send_for_review(actor=request.user, document=d),
        done=_("The document was sent for review."),
    )


@login_required
@require_POST
def document_review(request, pk):
    def run(document, data):
        services.review(
            actor=request.user,
            document=document,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        )
        return document

    return _act(
        request,
        pk,
        perm="correspondence.review",
        prefix="review",
        form_class=ReviewForm,
        run=run,
        done=_("Your review was recorded."),
    )


@login_required
@require_POST
def document_sign(request, pk):
    return _act(
        request,
        pk,
        perm="correspondence.sign",
        prefix="sign",
        form_class=SignForm,
        run=lambda d, data: services.sign(actor=request.user, document=d, acting=data["acting"]),
        done=_("The document was signed; its content is now fixed."),
    )


@login_required
@require_POST
def document_register(request, pk):
    return _act(
        request,
        pk,
        perm="correspondence.register",
        prefix=None,
        form_class=None,
        run=lambda d, _data: services.register(actor=request.user, document=d),
        done=lambda d: _("Registered as number %(n)s.") % {"n": d.number},
    )


@login_required
@require_POST
def document_correct(request, pk):
    return _act(
        request,
        pk,
        perm="correspondence.correct",
        prefix="correct",
        form_class=ReasonForm,
        run=lambda d, data: services.correct(actor=request.user, document=d, reason=data["reason"]),
        done=lambda d: (
            _("Version %(v)s was created as a draft; the old version is superseded.")
            % {"v": d.version}
        ),
    )


@login_required
def document_file(request, pk, fmt):
    return rendering.document_file_response(get_document(request.user, pk), fmt)


# --- Inbox ----------------------------------------------------------------------------------


@login_required
def inbox(request):
    kind = request.GET.get("kind", "")
    if kind not in selectors.INBOX_KINDS:
        kind = ""
    data = selectors.inbox_for(request.user, kind=kind)
    return render(
        request,
        "correspondence/inbox.html",
        {"items": data["items"], "counts": data["counts"], "kind": kind},
    )
