"""Example ministry indicators (IKU) with targets for the 21 example strategic goals.
EXAMPLE DATA, like the goals: plausible, not the ministry's real indicators."""

from decimal import Decimal

from rkpk.analysis import demo_data
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.organisation.models import Unit
from rkpk.plans.models import MeasureUnit

# Per goal (in the order of demo_data.GOALS): (indicator, measure, aggregation, first-year
# target, yearly step). A step of 0 keeps the target; text targets are qualitative; a
# (min, max) pair is a range that narrows by the step each year.
INDICATORS = [
    [
        (
            "Indeks kepuasan Presiden atas dukungan teknis dan administrasi",
            "indeks",
            "average",
            3.5,
            0.05,
        )
    ],
    [
        (
            "Indeks kepuasan Wakil Presiden atas dukungan teknis dan administrasi",
            "indeks",
            "average",
            3.5,
            0.05,
        )
    ],
    [
        ("Persentase rancangan peraturan yang diselesaikan tepat waktu", "%", "average", 80, 2),
        ("Jumlah rancangan peraturan yang disiapkan", "rancangan", "sum", 120, 5),
    ],
    [("Persentase persetujuan prakarsa yang diselesaikan tepat waktu", "%", "average", 85, 2)],
    [("Indeks kualitas hubungan kelembagaan", "indeks", "average", 3.2, 0.1)],
    [
        ("Persentase pengaduan masyarakat yang ditangani tuntas", "%", "average", 85, 2),
        ("Rata-rata waktu penyelesaian pengaduan", "hari", "max", 14, -1),
    ],
    [("Persentase administrasi pejabat negara yang diselesaikan tepat waktu", "%", "min", 90, 2)],
    [("Indeks kepuasan pengguna layanan administrasi aparatur", "indeks", "weighted", 3.4, 0.05)],
    [("Persentase acara kenegaraan yang terlaksana sesuai protokol", "%", "min", 95, 1)],
    [
        ("Jumlah publikasi kegiatan Presiden dan Wakil Presiden", "publikasi", "sum", 1500, 100),
        (
            "Indeks persepsi publik atas informasi kegiatan kenegaraan",
            "indeks",
            "average",
            3.3,
            0.05,
        ),
    ],
    [("Indeks kepuasan layanan rumah tangga kepresidenan", "indeks", "average", 3.5, 0.05)],
    [("Persentase usulan tanda kehormatan yang diproses tepat waktu", "%", "average", 85, 2)],
    [
        ("Nilai kinerja anggaran", "nilai", "latest", 85, 1),
        # A range with a negative minimum: the deviation of spending from the plan.
        (
            "Deviasi realisasi anggaran terhadap rencana penarikan dana",
            "%",
            "average",
            (-5, 5),
            0.5,
        ),
    ],
    [
        ("Opini BPK atas laporan keuangan", "opini", "manual", "WTP", None),
        ("Persentase realisasi anggaran", "%", "weighted", 93, 1),
    ],
    [
        ("Indeks profesionalitas ASN", "indeks", "average", 75, 2),
        ("Jumlah pegawai yang mengikuti pengembangan kompetensi", "orang", "sum", 600, 50),
    ],
    [("Indeks reformasi birokrasi", "nilai", "latest", 80, 1.5)],
    [("Nilai SAKIP kementerian", "nilai", "latest", 78, 1.5)],
    [
        ("Persentase rekomendasi hasil pengawasan yang ditindaklanjuti", "%", "average", 85, 2.5),
        ("Jumlah temuan berulang hasil pengawasan", "temuan", "sum", 20, -2),
    ],
    [("Persentase barang milik negara yang tercatat dan dimanfaatkan optimal", "%", "min", 90, 2)],
    [
        ("Indeks SPBE kementerian", "indeks", "latest", 3.2, 0.2),
        ("Jumlah layanan yang terdigitalisasi", "layanan", "sum", 20, 5),
    ],
    [("Indeks kepuasan layanan hukum dan kehumasan", "indeks", "average", 3.3, 0.05)],
]


# Polarity other than "higher is better", by indicator code.
POLARITY = {
    "IKU-06.2": MinistryIndicator.Polarity.LOWER,  # days to settle a complaint
    "IKU-13.2": MinistryIndicator.Polarity.RANGE,  # deviation, -5 % to 5 %
    "IKU-14.1": MinistryIndicator.Polarity.QUALITATIVE,  # audit opinion (WTP)
    "IKU-18.2": MinistryIndicator.Polarity.LOWER,  # repeated audit findings
}
# Balanced-scorecard perspective by goal number (others: internal process).
PERSPECTIVE = {
    **dict.fromkeys((1, 2), "Pemangku Kepentingan"),
    **dict.fromkeys(range(3, 13), "Pelanggan"),
    15: "Pembelajaran dan Pertumbuhan",
}
# Responsible units (by code) per goal number; units not loaded are skipped.
RESPONSIBLE = {
    1: ["SETPRES"],
    2: ["SETWAPRES"],
    3: ["DEPHUK"],
    4: ["DEPHUK"],
    5: ["DEPHUBLEM.LEMBAGA"],
    6: ["DEPHUBLEM.PENGADUAN", "DEPHUBLEM.MASYARAKAT"],
    7: ["DEPAPARATUR.PEJABAT"],
    8: ["DEPAPARATUR.APARATUR"],
    9: ["SETPRES.PROTOKOL", "SETWAPRES.PROTOKOL"],
    10: ["SETPRES.PERS", "SETWAPRES.PERS"],
    11: ["SETPRES.RT"],
    12: ["DEPAPARATUR"],
    13: ["SETMEN.RENKEU"],
    14: ["SETMEN.RENKEU"],
    15: ["SETMEN.SDM", "SETMEN.PUSDIKLAT"],
    16: ["SETMEN.ORTALA"],
    17: ["DEPWAS.BAK"],
    18: ["DEPWAS"],
    19: ["SETMEN.UMUM"],
    20: ["SETMEN.UMUM"],
    21: ["SETMEN.HUKHUM"],
}


def _round(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def measures_on_the_list(names) -> dict[str, str]:
    """Put the satuan of example indicators on the list of units of measure (the goal import
    checks them, so that the exported example goals import again). Returns each name as
    the list spells it."""
    known = {name.lower(): name for name in MeasureUnit.objects.values_list("name", flat=True)}
    spelled = {}
    for order, name in enumerate(sorted(set(names))):
        if name.lower() not in known:
            listed = name[:1].upper() + name[1:]
            MeasureUnit.objects.create(name=listed, sort_order=950 + order)
            known[name.lower()] = listed
        spelled[name] = known[name.lower()]
    return spelled


def load_demo_ministry_indicators() -> int:
    """Add 1–2 indicators with a target for every year of the period to each example goal
    (those loaded by load_demo_goals). Idempotent; returns the number of indicators."""
    name, first, last = demo_data.PERIOD
    period = RenstraPeriod.objects.filter(start_year=first, end_year=last).first()
    if period is None:
        return 0
    measures = measures_on_the_list(spec[1] for specs in INDICATORS for spec in specs)
    goals = {g.code: g for g in StrategicGoal.objects.filter(period=period)}
    units = {u.code: u for u in Unit.objects.all()}
    count = 0
    for number, specs in enumerate(INDICATORS, start=1):
        goal = goals.get(f"SS-{number:02d}")
        if goal is None:
            continue
        for order, (text, measure, aggregation, start, step) in enumerate(specs, start=1):
            code = f"IKU-{number:02d}.{order}"
            indicator, _ = MinistryIndicator.objects.update_or_create(
                goal=goal,
                code=code,
                defaults={
                    "name": text,
                    "measure": measures[measure],
                    "aggregation": aggregation,
                    "polarity": POLARITY.get(code, MinistryIndicator.Polarity.HIGHER),
                    "perspective": PERSPECTIVE.get(number, "Proses Internal"),
                    "sort_order": order,
                },
            )
            indicator.responsible_units.set(
                [units[c] for c in RESPONSIBLE.get(number, []) if c in units]
            )
            count += 1
            for offset, year in enumerate(range(first, last + 1)):
                values = {"value": None, "text": "", "min_value": None, "max_value": None}
                if isinstance(start, str):
                    values["text"] = start
                elif isinstance(start, tuple):
                    values["min_value"] = _round(start[0] + step * offset)
                    values["max_value"] = _round(start[1] - step * offset)
                else:
                    values["value"] = _round(start + step * offset)
                MinistryTarget.objects.update_or_create(
                    indicator=indicator, year=year, defaults=values
                )
    return count
