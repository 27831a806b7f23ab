"""What the unit and official imports share: the kinds of file, their columns, the rows
read from a file, and the checks every kind of row needs."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core.sheet_reader import SheetError

UNITS = "units"
OFFICIALS = "officials"
KIND_CHOICES = [
    (UNITS, gettext_lazy("Unit tree")),
    (OFFICIALS, gettext_lazy("Officials")),
]


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: object  # a lazy translation
    text_format: bool = False  # Excel should keep it as text (codes, NIPs)


UNIT_COLUMNS = [
    Column("code", True, gettext_lazy("Unique code of the unit, e.g. SETMEN.BU"), True),
    Column("name", True, gettext_lazy("Full name")),
    Column("short_name", False, gettext_lazy("Short name (optional)")),
    Column("level", True, gettext_lazy("Echelon as a number: 1, 2, 3 or 4")),
    Column(
        "parent_code",
        False,
        gettext_lazy("Code of the parent unit: in this file or already in the system"),
        True,
    ),
    Column("head_position", False, gettext_lazy("Position title of the unit's head")),
]
OFFICIAL_COLUMNS = [
    Column(
        "nip",
        True,
        gettext_lazy("NIP: 18 digits, formatted as text; empty for a state official"),
        True,
    ),
    Column("name", True, gettext_lazy("Full name with titles")),
    Column("position", True, gettext_lazy("Own position (jabatan)")),
    Column("rank", False, gettext_lazy("Rank/grade, e.g. Pembina Utama Muda (IV/c)")),
    Column("unit_code", False, gettext_lazy("Code of the unit (must exist in the system)"), True),
    Column("active", False, gettext_lazy("yes or no; empty means yes")),
    Column(
        "state_official",
        False,
        gettext_lazy("yes for a state official (pejabat negara, e.g. a minister) without NIP"),
    ),
    Column(
        "head_of_unit",
        False,
        gettext_lazy(
            "Code of the unit this person heads on this row (own unit, or one acted for). "
            "One row per post: repeat the person (same NIP) on another row for another post"
        ),
        True,
    ),
    Column("head_kind", False, gettext_lazy("definitif, Plt or Plh; empty means definitif")),
    Column(
        "head_from", False, gettext_lazy("First day of the post (YYYY-MM-DD); needed for Plt/Plh")
    ),
    Column("head_until", False, gettext_lazy("Last day of the post (YYYY-MM-DD); empty if open")),
]
COLUMNS = {UNITS: UNIT_COLUMNS, OFFICIALS: OFFICIAL_COLUMNS}
HEADER_ALIASES = {
    "parent": "parent_code",
    "unit": "unit_code",
    "rank/grade": "rank",
    "rank_grade": "rank",
    "grade": "rank",
    "is_active": "active",
    "is_state_official": "state_official",
    "pejabat_negara": "state_official",
    "state": "state_official",
    "heads_unit": "head_of_unit",
    "unit_headed": "head_of_unit",
    "head_of": "head_of_unit",
    "kind": "head_kind",
    "acting": "head_kind",
    "from": "head_from",
    "until": "head_until",
    "to": "head_until",
}
HEAD_KINDS = {
    "": "def",
    "def": "def",
    "definitif": "def",
    "definitive": "def",
    "plt": "Plt",
    "plt.": "Plt",
    "plh": "Plh",
    "plh.": "Plh",
}
TRUE_WORDS = {"1", "y", "yes", "true", "ya", "aktif", "active"}
FALSE_WORDS = {"0", "n", "no", "false", "tidak", "nonaktif", "non-aktif", "inactive"}


@dataclass
class UnitRow:
    code: str
    name: str
    level: int | None
    short_name: str = ""
    parent_code: str = ""
    head_position: str = ""
    row: int | None = None
    sheet: str = ""
    # field name -> (column letter, header as in the file), e.g. ("D", "Level")
    columns: dict = field(default_factory=dict, repr=False)
    # fields whose cell could not be read; the row checks skip them
    unreadable: set = field(default_factory=set, repr=False)


@dataclass
class OfficialRow:
    nip: str
    name: str
    position: str
    rank: str = ""
    unit_code: str = ""
    is_active: bool = True
    is_state_official: bool = False
    # A post headed, on this row: the unit's code, def/Plt/Plh, and the period.
    head_of_unit: str = ""
    head_kind: str = "def"
    head_from: date | None = None
    head_until: date | None = None
    row: int | None = None
    sheet: str = ""
    columns: dict = field(default_factory=dict, repr=False)
    unreadable: set = field(default_factory=set, repr=False)


@dataclass
class ImportResult:
    kind: str
    sheet: str = ""
    rows: list = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    # Columns of the file that are not read, as "F (Remarks)".
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def person_key(row: OfficialRow) -> tuple:
    """Rows of one person: the same NIP; without NIP, the same name as a state official."""
    if row.nip:
        return ("nip", row.nip)
    return ("name", row.name.casefold(), row.is_state_official)


def is_acting_row(row: OfficialRow) -> bool:
    return bool(row.head_of_unit) and row.head_kind in ("Plt", "Plh")


def own_rows(rows: list[OfficialRow]) -> dict[tuple, OfficialRow]:
    """Each person's own row (their own post): the first row that is not an acting post,
    else their first row."""
    found: dict[tuple, OfficialRow] = {}
    for row in rows:
        key = person_key(row)
        if key not in found or (is_acting_row(found[key]) and not is_acting_row(row)):
            found[key] = row
    return found


def has_column(row, field_name: str) -> bool:
    """Whether the file had the column (rows built in code have every column).

    An optional column missing from the file leaves the existing records' value alone.
    """
    return not row.columns or field_name in row.columns


def row_error(row_obj, field_name: str, message: str) -> SheetError:
    """A problem of one row's field, named by its column ("D (level)") when the file had
    the column, else by the field."""
    letter, header = row_obj.columns.get(field_name, ("", field_name))
    return SheetError(row_obj.sheet, row_obj.row, letter, header, message)


def field_errors(row, model, fields: dict[str, str], required: set[str]) -> list[SheetError]:
    """Required values and the model field's own rules (length, pattern)."""
    errors = []
    for attr, model_field in fields.items():
        if attr in row.unreadable:
            continue
        value = getattr(row, attr)
        if value in ("", None):
            if attr in required:
                errors.append(row_error(row, attr, _("This value is required.")))
            continue
        try:
            model._meta.get_field(model_field).clean(value, None)
        except ValidationError as error:
            errors.append(row_error(row, attr, " ".join(error.messages)))
    return errors


def duplicates(rows, key: str, label: str) -> list[SheetError]:
    first: dict[str, object] = {}
    errors = []
    for row in rows:
        value = getattr(row, key)
        if not value:
            continue
        if value in first:
            errors.append(
                row_error(
                    row,
                    key,
                    _(
                        "%(label)s %(value)s appears more than once in the file "
                        "(first in row %(row)s)."
                    )
                    % {"label": label, "value": value, "row": first[value].row},
                )
            )
        else:
            first[value] = row
    return errors


def level_message(value) -> str:
    return _("The level must be a number from 1 to 4 (1 = Echelon I), not '%(value)s'.") % {
        "value": value
    }
