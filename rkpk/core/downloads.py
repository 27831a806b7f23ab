"""Serving stored user files (attachments) safely: as downloads, never rendered inline,
with a file name that cannot break the header or name a path."""

import re

from django.http import FileResponse, Http404

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def download_name(name: str) -> str:
    """The original file name without control characters or path separators."""
    cleaned = _UNSAFE_NAME.sub("_", name or "").strip(" .")
    return cleaned if cleaned.strip("_ .") else "lampiran"


def stored_file_response(file, *, original_name: str, content_type: str) -> FileResponse:
    """A stored file as a private download (404 when the file is gone from storage)."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(original_name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
