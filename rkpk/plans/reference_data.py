"""Reference lists of the plans, loaded by a data migration; afterwards admin-maintained data."""

MEASURE_UNITS = [
    "Persen",
    "Dokumen",
    "Laporan",
    "Kegiatan",
    "Orang",
    "Peraturan",
    "Rekomendasi",
    "Indeks",
    "Nilai",
    "Predikat",
    "Hari",
    "Kali",
    "Unit",
    "Paket",
    "Berkas",
    "Layanan",
    "Rupiah",
    "Naskah",
    "Keputusan",
    "Sistem",
]

QUALITATIVE_VALUES = [
    "WTP",
    "WDP",
    "AA",
    "A",
    "BB",
    "B",
    "CC",
    "C",
    "Sangat Baik",
    "Baik",
    "Cukup",
    "Tersedia",
    "Terlaksana",
    "Tepat Waktu",
]

# (code, Indonesian, English)
RETURN_REASONS = [
    (
        "FORM",
        "Formulir RK-PK tidak sesuai format yang ditetapkan",
        "The RK-PK form does not follow the prescribed format",
    ),
    (
        "NO_INDICATOR",
        "Terdapat sasaran yang belum memiliki indikator kinerja",
        "A goal has no performance indicator",
    ),
    (
        "TARGET",
        "Target kinerja belum diisi atau tidak valid",
        "A performance target is missing or invalid",
    ),
    ("SATUAN", "Satuan indikator belum diisi", "An indicator has no unit of measure"),
    ("PK_SUBSET", "Indikator PK tidak termuat dalam RK", "A PK indicator is not in the RK"),
    (
        "BUDGET",
        "Jumlah anggaran tidak sesuai dengan rincian program/kegiatan",
        "The budget does not add up to the programs/activities",
    ),
    (
        "PARTIES",
        "Pihak pertama/kedua PK belum lengkap atau tidak tepat",
        "The first or second party of the PK is missing or wrong",
    ),
    (
        "ALIGNMENT",
        "Sasaran belum selaras dengan sasaran strategis Kementerian",
        "The goals are not aligned with the ministry's strategic goals",
    ),
    (
        "DEFINITION",
        "Definisi operasional/formula indikator belum jelas",
        "An indicator's operational definition or formula is unclear",
    ),
    ("SIGNATURE", "Dokumen PK belum ditandatangani", "The PK document is not signed"),
    ("OTHER", "Lainnya (lihat catatan)", "Other (see the remarks)"),
]


STATEMENT_TITLE = "PENETAPAN KINERJA TAHUN {year}"
STATEMENT_REGULATION = "SE Menteri PAN Nomor SE/31/M.PAN/12/2004; PermenPAN-RB 53/2014"
STATEMENT_BODY = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
    "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:\n\n"
    "Nama: {first_name}\nJabatan: {first_position}\nselanjutnya disebut pihak pertama\n\n"
    "Nama: {second_name}\nJabatan: {second_position}\n"
    "selaku atasan langsung pihak pertama, selanjutnya disebut pihak kedua\n\n"
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
    "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
    "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target "
    "kinerja tersebut menjadi tanggung jawab kami.\n\n"
    "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
    "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan "
    "dalam rangka pemberian penghargaan dan sanksi."
)


def load_statement_template(template_model) -> None:
    if not template_model.objects.exists():
        template_model.objects.create(
            title=STATEMENT_TITLE, body=STATEMENT_BODY, regulation=STATEMENT_REGULATION
        )


def load_reference_data(measure_unit_model, qualitative_model, reason_model) -> None:
    if not measure_unit_model.objects.exists():
        measure_unit_model.objects.bulk_create(
            measure_unit_model(name=name, sort_order=i) for i, name in enumerate(MEASURE_UNITS)
        )
    if not qualitative_model.objects.exists():
        qualitative_model.objects.bulk_create(
            qualitative_model(value=v, sort_order=i) for i, v in enumerate(QUALITATIVE_VALUES)
        )
    if not reason_model.objects.exists():
        reason_model.objects.bulk_create(
            reason_model(code=code, text_id=text_id, text_en=text_en, sort_order=i)
            for i, (code, text_id, text_en) in enumerate(RETURN_REASONS)
        )
