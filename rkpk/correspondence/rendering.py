"""Memoranda and letters (naskah dinas) as DOCX (editable) and PDF (official, A4).

Both formats print the same content, built once by `document_context()` (DESIGN.md §5):

- the letterhead lines, centred and bold, with a rule under them;
- for a memorandum the title "NOTA DINAS" (a letter has none);
- "Nomor / Sifat / Lampiran / Hal" on the left, place and date on the right (the date of
  registration, else of signing, else today, written the Indonesian way);
- "Yth." and the addressee lines, the body (paragraphs split on blank lines, justified);
- the signature block on the right: the signer's position ("Plt. "/"Plh. " before it when
  signed as acting), "ttd" — or the electronic-signature mark when the PDF is sealed with
  a PAdES signature —, the name and "NIP. …"; "Tembusan:" with the numbered copies;
- a registered document's verification QR code (segno) leading to
  `settings.RKPK_BASE_URL` + /verify/<token>/, captioned "Verifikasi keaslian dokumen";
- a document not yet signed shows "Nomor : …… (draf)" and a "DRAF" label and watermark.

Every text is printed as text: Django's autoescaping in the HTML, docxtpl's in the DOCX,
control characters removed. The PDF renderer loads no external resource (the QR code is
inline SVG). The Word template `document_templates/document.docx` is built by
`scripts/build_correspondence_docx.py`.
"""

import io
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from rkpk.core.formatting import format_date_id
from rkpk.core.pdf import html_to_pdf
from rkpk.correspondence.models import Document, Kind
from rkpk.correspondence.reference_data import LETTERHEAD
from rkpk.organisation import profile as organisation_profile
from rkpk.plans.documents import clean

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
TEMPLATE_DIR = Path(__file__).resolve().parent / "document_templates"
DOCX_TEMPLATE = TEMPLATE_DIR / "document.docx"
HTML_TEMPLATE = "correspondence/document_pdf.html"
CSS_TEMPLATE = "correspondence/document_pdf.css"
BLANK = "……………………"
DRAFT_NUMBER = "…… (draf)"
DRAFT_LABEL = "DRAF — belum ditandatangani"
QR_CAPTION = "Verifikasi keaslian dokumen"
ELECTRONIC_MARK = "Ditandatangani secara elektronik"
TITLES = {Kind.MEMO: "NOTA DINAS", Kind.LETTER: ""}
UNSIGNED = (Document.Status.DRAFT, Document.Status.IN_REVIEW, Document.Status.APPROVED)


class RenderError(ValueError):
    pass


# --- the content ------------------------------------------------------------------------


def lines(text) -> list[str]:
    """Non-empty lines of a text, cleaned."""
    return [line.strip() for line in clean(text).split("\n") if line.strip()]


def paragraphs(text) -> list[list[str]]:
    """Paragraphs (split on blank lines) of lines."""
    return [lines(block) for block in re.split(r"\n\s*\n", clean(text)) if block.strip()]


def _copies(text) -> list[str]:
    """The copies (tembusan), one per line; a leading "1." or "-" written by hand is dropped."""
    return [re.sub(r"^(\d+[.)]|[-•*])\s*", "", line) for line in lines(text)]


def verification_url(token: str) -> str:
    """The absolute address of a document's public verification page."""
    try:
        path = reverse("verify_document", args=[token])
    except NoReverseMatch:
        path = f"/verify/{token}/"
    base = (getattr(settings, "RKPK_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def qr_code(url: str):
    import segno

    return segno.make(url, error="m")


def qr_svg(url: str) -> str:
    """The QR code as an inline SVG element with a quiet zone (the stylesheet sets the size)."""
    return qr_code(url).svg_inline(scale=1, border=2, omitsize=True, dark="#000")


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def document_date(document: Document) -> date:
    """The date printed: of registration, else of signing, else today (Asia/Jakarta)."""
    moment = document.registered_at or document.signed_at
    return timezone.localdate(moment) if moment else timezone.localdate()


def letterhead_lines(document: Document) -> list[str]:
    """The letterhead the document froze when it was created; for an older document, its
    template's, filled from the organisation profile."""
    if document.letterhead:
        return lines(document.letterhead)
    from rkpk.correspondence.services import fill

    template = document.template
    text = template.letterhead if template and template.letterhead else LETTERHEAD
    return lines(fill(text, organisation_profile.placeholder_values()))


def _electronic_seal() -> bool:
    from rkpk.correspondence import signing

    try:
        return bool(signing.get_signer().embeds_signature)
    except Exception:  # noqa: BLE001 — a misconfigured signer fails at signing, not here
        return False


def document_context(document: Document, *, with_qr: bool = True) -> dict:
    """What both formats print, as plain strings (nothing marked safe but the QR SVG)."""
    is_draft = document.status in UNSIGNED
    number = clean(document.number)
    signed = bool(document.signed_at) and not is_draft
    acting = clean(document.signed_acting) if signed else ""
    position_lines = lines(document.signer_position) or [BLANK]
    if acting:
        position_lines[0] = f"{acting}. {position_lines[0]}"
    if signed:
        electronic = _electronic_seal()
        mark = ELECTRONIC_MARK if electronic else "ttd"
        name = clean(document.signed_name) or BLANK
        nip = clean(document.signed_nip)
    else:
        electronic, mark, name, nip = False, "", BLANK, ""
    token = document.verification_token if number else ""
    url = verification_url(token) if token and with_qr else ""
    kind = Kind(document.kind) if document.kind in Kind.values else Kind.MEMO
    title = TITLES[kind]
    place = clean(document.place) or organisation_profile.signing_city()
    return {
        "kind": kind.value,
        "doc_title": f"{title or 'Surat'} {number or DRAFT_NUMBER} — {clean(document.subject)}",
        "title": title,
        "letterhead": letterhead_lines(document),
        "logo": organisation_profile.logo_data_uri(),
        "is_draft": is_draft,
        "draft_label": DRAFT_LABEL,
        "number": number or (DRAFT_NUMBER if is_draft else "……"),
        "number_is_set": bool(number),
        "heading": [
            {"label": "Nomor", "value": number or (DRAFT_NUMBER if is_draft else "……")},
            {"label": "Sifat", "value": clean(document.nature) or "Biasa"},
            {"label": "Lampiran", "value": clean(document.attachments_note) or "-"},
            {"label": "Hal", "value": clean(document.subject)},
        ],
        "place_date": f"{place}, {format_date_id(document_date(document))}",
        "addressee": lines(document.addressee),
        "body": paragraphs(document.body),
        "signature": {
            "position_lines": position_lines,
            "position": "\n".join(position_lines),
            "mark": mark,
            "electronic": electronic,
            "name": name,
            "nip": nip,
            "nip_line": f"NIP. {nip}" if nip else "",
        },
        "copies": _copies(document.copies),
        "verification_url": url,
        "qr_caption": QR_CAPTION if url else "",
    }


FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_file_response(document: Document, fmt: str):
    """The document as PDF (a registered document: its official, sealed file, shown in the
    browser) or DOCX (a download), private and never sniffed; 404 for another format or a
    stored file gone from storage. The page and the API serve the same."""
    if fmt not in FILE_TYPES:
        raise Http404
    name = document_filename(document, fmt)
    if fmt == "pdf" and document.pdf:
        try:
            handle = document.pdf.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=FILE_TYPES[fmt], filename=name)
    else:
        response = HttpResponse(render_document(document, fmt=fmt), content_type=FILE_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def document_filename(document: Document, fmt: str) -> str:
    """ "ND-12-BCN-Was-PR.01.01-11-2026.pdf"; "draf-<id>-v1.docx" before numbering."""
    if document.number:
        stem = re.sub(r"[^A-Za-z0-9.-]+", "-", document.number).strip("-")
    else:
        stem = f"draf-{document.pk}"
    return f"{stem}-v{document.version}.{fmt}" if document.version > 1 else f"{stem}.{fmt}"


def render_document(document: Document, *, fmt: str) -> bytes:
    """The document as "pdf" (official, A4, QR code when registered) or "docx" (editable)."""
    if fmt not in FORMATS:
        raise RenderError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    context = document_context(document)
    return render_docx(context) if fmt == "docx" else render_pdf(context)


# --- PDF --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stylesheet_text() -> str:
    return render_to_string(CSS_TEMPLATE)


def render_html(context: dict) -> str:
    """The HTML that WeasyPrint prints (the stylesheet is given separately)."""
    context = dict(context)
    if context.get("verification_url"):
        context["qr_svg"] = mark_safe(qr_svg(context["verification_url"]))  # noqa: S308 — segno's own output
    return render_to_string(HTML_TEMPLATE, context)


def render_pdf(context: dict) -> bytes:
    """A4 PDF with the system fonts; no external resource is loaded."""
    return html_to_pdf(render_html(context), _stylesheet_text())


# --- DOCX -------------------------------------------------------------------------------


def render_docx(context: dict) -> bytes:
    from docx.shared import Cm
    from docxtpl import DocxTemplate, InlineImage

    template = DocxTemplate(DOCX_TEMPLATE)
    context = dict(context)
    context["addressee_text"] = "\n".join(context["addressee"]) or BLANK
    context["body_text"] = ["\n".join(paragraph) for paragraph in context["body"]]
    url = context.get("verification_url")
    context["qr"] = (
        InlineImage(template, io.BytesIO(qr_png(url)), width=Cm(2.6), height=Cm(2.6)) if url else ""
    )
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return _with_logo(out.getvalue(), context.get("logo") or "")


def _with_logo(data: bytes, logo: str) -> bytes:
    """The DOCX with the organisation's logo (a data: URI) centred above the letterhead."""
    import base64

    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    if not logo.startswith("data:image/") or ";base64," not in logo:
        return data
    image = base64.b64decode(logo.split(";base64,", 1)[1])
    word = WordDocument(io.BytesIO(data))
    if not word.paragraphs:
        return data
    paragraph = word.paragraphs[0].insert_paragraph_before()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(image), height=Cm(2))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
