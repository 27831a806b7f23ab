"""The Excel round trip of a unit plan: the pre-filled workbook, its upload, and the import.

The workbook (always in Indonesian, like the official documents):

- "Petunjuk": instructions and the allowed values;
- "Sasaran": goals (No, Kode, Sasaran, Tingkat);
- "Indikator": indicators with the IKU fields, the annual and quarterly targets, whether the
  indicator is in the PK, and last year's target (read-only, never imported);
- "Kegiatan": programs and activities with their budget;
- "Indikator Kegiatan": the activities' output indicators and targets;
- "Daftar" (hidden): the lists behind the drop-downs.

Header rows are locked and the sheets protected, but an upload is checked as if they were
not: missing or renamed columns, every row, every cell. Errors name the sheet, the row as
Excel shows it, the column letter and header. Nothing is imported unless the whole file is
valid; an annotated copy of the upload marks each wrong cell in red with a comment.

The package: `columns` (sheets, columns, labels, limits), `reading` (the upload → rows with
every cell error; pure: `check_file`, `parse_workbook`), `writing` (`import_workbook`: the
file checked whole, then the plan's goals, indicators, activities and activity indicators
replaced in one transaction by `plans.services_content.replace_plan_content`) and `building`
(`build_workbook`, `annotate_workbook`; the content hash that recognises a stale workbook is
`plans.fingerprint`). The names below are the package's API.

Formula injection: every workbook this package writes passes its text through `safe_cell`,
which puts an apostrophe before text that begins with = + - @ (or a tab or carriage
return). On upload that one apostrophe is taken off again, so such text survives a round
trip (`rkpk.core.sheet_reader`). Real formulas in an upload are refused, and so is text that
begins with "=" unless Excel marks it as typed text (a leading apostrophe typed in Excel).
"""

from rkpk.plans.excel.building import annotate_workbook, build_workbook
from rkpk.plans.excel.columns import (
    ACTIVITIES,
    ACTIVITY_INDICATORS,
    COLUMNS,
    GOALS,
    INDICATORS,
    KIND_LABELS,
    LISTS,
    MAX_BYTES,
    POLARITY_LABELS,
    XLSX_CONTENT_TYPE,
)
from rkpk.plans.excel.reading import (
    FIELD_COLUMNS,
    ParsedWorkbook,
    check_file,
    parse_workbook,
    too_large_message,
)
from rkpk.plans.excel.writing import import_workbook, no_rows_message, replaced_versions
from rkpk.plans.fingerprint import content_fingerprint
from rkpk.plans.services_content import ImportResult, shrinks

__all__ = [
    "ACTIVITIES",
    "ACTIVITY_INDICATORS",
    "COLUMNS",
    "FIELD_COLUMNS",
    "GOALS",
    "INDICATORS",
    "KIND_LABELS",
    "LISTS",
    "MAX_BYTES",
    "POLARITY_LABELS",
    "XLSX_CONTENT_TYPE",
    "ImportResult",
    "ParsedWorkbook",
    "annotate_workbook",
    "build_workbook",
    "check_file",
    "content_fingerprint",
    "import_workbook",
    "no_rows_message",
    "parse_workbook",
    "replaced_versions",
    "shrinks",
    "too_large_message",
]
