"""Example ministry indicators (IKU) with targets for the 21 example strategic goals.
EXAMPLE DATA, like the goals: plausible, not the ministry's real indicators."""

from decimal import Decimal

from rkpk.analysis import demo_data
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal

# Per goal (in the order of demo_data.GOALS): (indicator, measure, aggregation, first-year
# target, yearly step). A step of 0 keeps the target; text targets are qualitative.
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
    [("Nilai kinerja anggaran", "nilai", "latest", 85, 1)],
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
    [("Persentase rekomendasi hasil pengawasan yang ditindaklanjuti", "%", "average", 85, 2.5)],
    [("Persentase barang milik negara yang tercatat dan dimanfaatkan optimal", "%", "min", 90, 2)],
    [
        ("Indeks SPBE kementerian", "indeks", "latest", 3.2, 0.2),
        ("Jumlah layanan yang terdigitalisasi", "layanan", "sum", 20, 5),
    ],
    [("Indeks kepuasan layanan hukum dan kehumasan", "indeks", "average", 3.3, 0.05)],
]


def _round(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def load_demo_ministry_indicators() -> int:
    """Add 1–2 indicators with a target for every year of the period to each example goal
    (those loaded by load_demo_goals). Idempotent; returns the number of indicators."""
    name, first, last = demo_data.PERIOD
    period = RenstraPeriod.objects.filter(start_year=first, end_year=last).first()
    if period is None:
        return 0
    goals = {g.code: g for g in StrategicGoal.objects.filter(period=period)}
    count = 0
    for number, specs in enumerate(INDICATORS, start=1):
        goal = goals.get(f"SS-{number:02d}")
        if goal is None:
            continue
        for order, (text, measure, aggregation, start, step) in enumerate(specs, start=1):
            indicator, _ = MinistryIndicator.objects.update_or_create(
                goal=goal,
                code=f"IKU-{number:02d}.{order}",
                defaults={
                    "name": text,
                    "measure": measure,
                    "aggregation": aggregation,
                    "sort_order": order,
                },
            )
            count += 1
            for offset, year in enumerate(range(first, last + 1)):
                if isinstance(start, str):
                    values = {"value": None, "text": start}
                else:
                    values = {"value": _round(start + step * offset), "text": ""}
                MinistryTarget.objects.update_or_create(
                    indicator=indicator, year=year, defaults=values
                )
    return count
