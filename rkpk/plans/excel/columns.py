"""The workbook's sheets and columns, the labels of its choices, and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

from rkpk.core import sheet_reader
from rkpk.plans.models import (
    Activity,
    Goal,
    Indicator,
    TargetKind,
)

# --- Limits -------------------------------------------------------------------------------

MAX_ROWS = 10_000  # data rows per sheet
EXTRA_ROWS = 150  # empty rows prepared below the data, with drop-downs and unlocked cells

MAX_BYTES = sheet_reader.MAX_BYTES
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- Sheets and columns -------------------------------------------------------------------

HELP = "Petunjuk"
GOALS = "Sasaran"
INDICATORS = "Indikator"
ACTIVITIES = "Kegiatan"
ACTIVITY_INDICATORS = "Indikator Kegiatan"
LISTS = "Daftar"
ERRORS = "Kesalahan"
DATA_SHEETS = (GOALS, INDICATORS, ACTIVITIES, ACTIVITY_INDICATORS)

# Custom document properties that tie a workbook to its plan and to the content it
# was made from (to detect a stale workbook uploaded over newer edits).
PROP_UNIT, PROP_YEAR, PROP_BASE = "rkpk_unit", "rkpk_year", "rkpk_base"

LEVEL_LABELS = {
    Goal.Level.STRATEGIC: "Strategis",
    Goal.Level.PROGRAM: "Program",
    Goal.Level.ACTIVITY: "Kegiatan",
}
POLARITY_LABELS = {
    Indicator.Polarity.HIGHER: "Semakin tinggi semakin baik",
    Indicator.Polarity.LOWER: "Semakin rendah semakin baik",
    Indicator.Polarity.RANGE: "Dalam rentang",
}
TYPE_LABELS = {
    Indicator.Type.INPUT: "Input",
    Indicator.Type.OUTPUT: "Output",
    Indicator.Type.OUTCOME: "Outcome",
}
KIND_LABELS = {
    TargetKind.NUMBER: "Angka",
    TargetKind.PERCENT: "Persentase",
    TargetKind.RANGE: "Rentang",
    TargetKind.QUALITATIVE: "Kualitatif",
}
ACTIVITY_KIND_LABELS = {Activity.Kind.PROGRAM: "Program", Activity.Kind.ACTIVITY: "Kegiatan"}
YES, NO = "Ya", "Tidak"


def _choices(labels: dict, **aliases: str) -> dict[str, str]:
    """Accepted spellings (lower case) -> model value: the label, the code, and aliases."""
    found = {}
    for value, label in labels.items():
        found[label.lower()] = value
        found[str(value).lower()] = value
    found.update({alias.replace("_", " "): labels_key for alias, labels_key in aliases.items()})
    return found


LEVEL_CHOICES = _choices(LEVEL_LABELS, strategis="strategic", stratejik="strategic")
POLARITY_CHOICES = _choices(
    POLARITY_LABELS,
    maximize="higher",
    minimize="lower",
    tinggi="higher",
    rendah="lower",
    rentang="range",
    naik="higher",
    turun="lower",
)
TYPE_CHOICES = _choices(TYPE_LABELS, masukan="input", keluaran="output", hasil="outcome")
KIND_CHOICES = _choices(
    KIND_LABELS, number="number", persen="percent", percentage="percent", kualitatif="qualitative"
)
ACTIVITY_KIND_CHOICES = _choices(ACTIVITY_KIND_LABELS, activity="activity")
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "benar", "v", "x"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "salah", "bukan"}


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    width: int
    help: str  # Indonesian, for the instructions sheet
    required: bool = False  # a value is required in every row
    text: bool = False  # formatted as text in Excel (codes)
    wrap: bool = False
    numeric: bool = False  # written as a number
    ignored: bool = False  # not imported (No, last year's target)
    optional_header: bool = False  # the column may be missing from an upload


def _target_cols(prefix: str = "") -> list[Col]:
    return [
        Col(
            "kind",
            "Jenis target",
            14,
            "Angka, Persentase, Rentang atau Kualitatif. Kosong: ditentukan dari isian target.",
        ),
        Col(
            "target",
            "Target",
            12,
            "Angka atau persentase (mis. 1.234,5 atau 85%) untuk jenis Angka/Persentase.",
            numeric=True,
        ),
        Col("target_min", "Target dari", 12, "Batas bawah untuk jenis Rentang.", numeric=True),
        Col("target_max", "Target sampai", 12, "Batas atas untuk jenis Rentang.", numeric=True),
        Col(
            "target_text",
            "Target kualitatif",
            16,
            "Nilai dari daftar (mis. WTP, Baik) untuk jenis Kualitatif.",
        ),
    ]


COLUMNS: dict[str, list[Col]] = {
    GOALS: [
        Col("no", "No", 6, "Nomor urut (informasi; urutan mengikuti baris).", ignored=True),
        Col("code", "Kode", 12, "Kode sasaran, unik; dirujuk oleh lembar Indikator.", True, True),
        Col("text", "Sasaran", 60, "Uraian sasaran.", True, wrap=True),
        Col("level", "Tingkat", 14, "Strategis, Program atau Kegiatan. Kosong: Strategis."),
    ],
    INDICATORS: [
        Col("goal_code", "Kode sasaran", 12, "Kode sasaran dari lembar Sasaran.", True, True),
        Col("no", "No", 6, "Nomor urut (informasi).", ignored=True),
        Col("code", "Kode", 12, "Kode indikator (unik bila diisi).", text=True),
        Col("name", "Indikator", 48, "Nama indikator kinerja.", True, wrap=True),
        Col("definition", "Definisi operasional", 40, "Definisi operasional.", wrap=True),
        Col("formula", "Formula", 30, "Cara menghitung (ditulis sebagai teks).", wrap=True),
        Col("measure", "Satuan", 14, "Satuan dari daftar."),
        Col("polarity", "Polaritas", 24, "Arah capaian. Kosong: semakin tinggi semakin baik."),
        Col("data_source", "Sumber data", 24, "Sumber data.", wrap=True),
        Col("type", "Jenis", 12, "Input, Output atau Outcome. Kosong: Outcome."),
        *_target_cols(),
        Col("q1", "TW I", 9, "Target triwulan I (opsional).", numeric=True),
        Col("q2", "TW II", 9, "Target triwulan II (opsional).", numeric=True),
        Col("q3", "TW III", 9, "Target triwulan III (opsional).", numeric=True),
        Col("q4", "TW IV", 9, "Target triwulan IV (opsional).", numeric=True),
        Col("in_pk", "Masuk PK", 10, "Ya atau Tidak. Kosong: Ya."),
        Col(
            "previous",
            "Target tahun lalu",
            14,
            "Hanya informasi; tidak diimpor.",
            ignored=True,
            optional_header=True,
        ),
    ],
    ACTIVITIES: [
        Col("no", "No", 6, "Nomor urut (informasi).", ignored=True),
        Col("kind", "Jenis", 12, "Program atau Kegiatan. Kosong: Kegiatan."),
        Col("code", "Kode", 16, "Kode program/kegiatan; wajib bila ada indikatornya.", text=True),
        Col("name", "Nama", 50, "Nama program/kegiatan.", True, wrap=True),
        Col("budget", "Anggaran (Rp)", 18, "Anggaran dalam rupiah (mis. 1.500.000).", numeric=True),
        Col("notes", "Keterangan", 30, "Keterangan.", wrap=True),
        Col(
            "rolls_up",
            "Rekapitulasi unit",
            16,
            "Hanya untuk baris yang mewakili seluruh rencana unit di bawah (anggarannya = total "
            "rencana unit itu): kode unit tersebut, dari daftar. Kosong: kegiatan unit sendiri. "
            "Baris rekapitulasi tidak dijumlahkan lagi dalam kompilasi kementerian.",
            text=True,
            optional_header=True,  # workbooks made before this column still import
        ),
    ],
    ACTIVITY_INDICATORS: [
        Col("activity_code", "Kode kegiatan", 16, "Kode dari lembar Kegiatan.", True, True),
        Col("name", "Indikator", 48, "Indikator kinerja kegiatan (keluaran).", True, wrap=True),
        Col("measure", "Satuan", 14, "Satuan dari daftar."),
        *_target_cols(),
    ],
}

MAX_LENGTHS = {
    (GOALS, "code"): 20,
    (INDICATORS, "code"): 20,
    (INDICATORS, "measure"): 60,
    (INDICATORS, "data_source"): 300,
    (INDICATORS, "target_text"): 60,
    (ACTIVITIES, "code"): 30,
    (ACTIVITIES, "notes"): 300,
    (ACTIVITY_INDICATORS, "measure"): 60,
    (ACTIVITY_INDICATORS, "target_text"): 60,
}
TARGET_LIMIT = Decimal(10) ** 16  # DecimalField(max_digits=20, decimal_places=4)
BUDGET_LIMIT = Decimal(10) ** 16  # DecimalField(max_digits=18, decimal_places=2)
FOUR_PLACES, TWO_PLACES = Decimal("0.0001"), Decimal("0.01")


def letter_of(sheet: str, key: str) -> str:
    """The column letter of `key` in the template's `sheet`."""
    keys = [c.key for c in COLUMNS[sheet]]
    return get_column_letter(keys.index(key) + 1)


def column(sheet: str, key: str) -> Col:
    """The column `key` of `sheet`."""
    return next(c for c in COLUMNS[sheet] if c.key == key)
