"""Importing the unit tree and the officials register from an uploaded XLSX or CSV file.

- `rows`: the kinds of file, their columns, the rows read and the checks they share;
- `reading`: `parse_upload()`, the file (through `rkpk.core.sheet_reader`) into checked rows;
- `unit_rows`, `official_rows`: the rules each kind of row must meet, also run by the
  services (`rkpk.organisation.services.import_units()` / `import_officials()`) before they
  write;
- `template`: the template workbook, also the export of the current records.
"""

from rkpk.organisation.importers.official_rows import check_official_rows
from rkpk.organisation.importers.reading import MAX_DATA_ROWS, parse_upload
from rkpk.organisation.importers.rows import (
    COLUMNS,
    KIND_CHOICES,
    OFFICIALS,
    UNITS,
    Column,
    ImportResult,
    OfficialRow,
    UnitRow,
    has_column,
    is_acting_row,
    own_rows,
    person_key,
    row_error,
)
from rkpk.organisation.importers.template import build_workbook
from rkpk.organisation.importers.unit_rows import check_unit_rows

__all__ = [
    "COLUMNS",
    "KIND_CHOICES",
    "MAX_DATA_ROWS",
    "OFFICIALS",
    "UNITS",
    "Column",
    "ImportResult",
    "OfficialRow",
    "UnitRow",
    "build_workbook",
    "check_official_rows",
    "check_unit_rows",
    "has_column",
    "is_acting_row",
    "own_rows",
    "parse_upload",
    "person_key",
    "row_error",
]
