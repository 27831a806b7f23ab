"""Strategic goals and ministry indicators of the second demo organisation (the fictional
"Kementerian Contoh Kelautan dan Pesisir"). EXAMPLE DATA, marked as such wherever shown.

Unlike the first demo's, these indicators carry a polarity (higher or lower is better, a
range, qualitative), a perspective and the units responsible, and some targets are ranges
with a negative minimum.
"""

from decimal import Decimal

from rkpk.analysis.demo_indicators import measures_on_the_list
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.organisation.models import Unit

PERIOD = ("Rencana Strategis 2025–2029 (contoh)", 2025, 2029)

STAKEHOLDER = "Pemangku kepentingan"
CUSTOMER = "Pelanggan"
INTERNAL = "Proses internal"
LEARNING = "Pembelajaran dan pertumbuhan"

# Targets: a number with its yearly step (first, step); a range ("range", min, max); or a
# qualitative value per year ("text", [values from 2025 on]).
# code -> (goal text, [(code, indicator, satuan, aggregation, polarity, perspective,
#                      [responsible unit codes], target)])
GOALS = {
    "SS1": (
        "Meningkatnya kesehatan ekosistem pesisir dan laut",
        [
            (
                "IKU 1.1",
                "Luas kawasan konservasi pesisir dan laut yang dikelola efektif",
                "Hektare",
                "sum",
                "higher",
                STAKEHOLDER,
                ["DJPRL", "DJPRL.KONSERVASI"],
                (2_400_000, 150_000),
            ),
            (
                "IKU 1.2",
                "Perubahan tutupan karang hidup di kawasan konservasi",
                "Persen",
                "average",
                "range",
                STAKEHOLDER,
                ["DJPRL.KONSERVASI", "BRSDM.RISET"],
                ("range", Decimal("-1.0"), Decimal("1.0")),
            ),
        ],
    ),
    "SS2": (
        "Meningkatnya produktivitas perikanan tangkap yang berkelanjutan",
        [
            (
                "IKU 2.1",
                "Produksi perikanan tangkap yang tercatat",
                "Ton",
                "sum",
                "higher",
                STAKEHOLDER,
                ["DJPT", "DJPT.KAPAL"],
                (7_200_000, 100_000),
            ),
            (
                "IKU 2.2",
                "Jumlah kasus penangkapan ikan ilegal yang terjadi",
                "Kali",
                "sum",
                "lower",
                STAKEHOLDER,
                ["DJPT.KAPAL"],
                (120, -10),
            ),
        ],
    ),
    "SS3": (
        "Meningkatnya kualitas layanan pelabuhan perikanan",
        [
            (
                "IKU 3.1",
                "Rata-rata waktu layanan sandar dan bongkar kapal perikanan",
                "Hari",
                "average",
                "lower",
                CUSTOMER,
                ["DJPT.PELABUHAN"],
                (3, -0.25),
            ),
            (
                "IKU 3.2",
                "Indeks kepuasan pengguna pelabuhan perikanan",
                "Indeks",
                "average",
                "higher",
                CUSTOMER,
                ["DJPT.PELABUHAN"],
                (3.4, 0.05),
            ),
        ],
    ),
    "SS4": (
        "Meningkatnya pendayagunaan pulau-pulau kecil",
        [
            (
                "IKU 4.1",
                "Jumlah pulau kecil yang dikelola berbasis masyarakat",
                "Pulau",
                "sum",
                "higher",
                STAKEHOLDER,
                ["DJPRL.PULAU"],
                (40, 5),
            ),
        ],
    ),
    "SS5": (
        "Meningkatnya kualitas riset dan sumber daya manusia kelautan",
        [
            (
                "IKU 5.1",
                "Jumlah rekomendasi riset yang dimanfaatkan pengambil kebijakan",
                "Rekomendasi",
                "sum",
                "higher",
                LEARNING,
                ["BRSDM", "BRSDM.RISET"],
                (25, 3),
            ),
            (
                "IKU 5.2",
                "Persentase lulusan pendidikan kelautan yang terserap dunia kerja",
                "Persen",
                "average",
                "higher",
                LEARNING,
                ["BRSDM.DIKLAT"],
                (70, 2),
            ),
        ],
    ),
    "SS6": (
        "Terwujudnya pengelolaan keuangan dan barang milik negara yang akuntabel",
        [
            (
                "IKU 6.1",
                "Opini BPK atas laporan keuangan kementerian",
                "Predikat",
                "manual",
                "qualitative",
                INTERNAL,
                ["SEKJEN.KEU"],
                ("text", ["WTP", "WTP", "WTP", "WTP", "WTP"]),
            ),
            (
                "IKU 6.2",
                "Deviasi realisasi anggaran terhadap rencana penarikan dana",
                "Persen",
                "average",
                "range",
                INTERNAL,
                ["SEKJEN.KEU", "SEKJEN"],
                ("range", Decimal("-5.0"), Decimal("5.0")),
            ),
        ],
    ),
    "SS7": (
        "Meningkatnya efektivitas pengawasan intern",
        [
            (
                "IKU 7.1",
                "Persentase rekomendasi hasil pengawasan yang ditindaklanjuti",
                "Persen",
                "average",
                "higher",
                INTERNAL,
                ["ITJEN", "ITJEN.IR1", "ITJEN.IR2"],
                (85, 2.5),
            ),
            (
                "IKU 7.2",
                "Jumlah temuan berulang hasil pemeriksaan",
                "Kali",
                "sum",
                "lower",
                INTERNAL,
                ["ITJEN"],
                (30, -4),
            ),
        ],
    ),
    "SS8": (
        "Terwujudnya birokrasi yang efektif dan layanan data yang andal",
        [
            (
                "IKU 8.1",
                "Predikat SAKIP kementerian",
                "Predikat",
                "manual",
                "qualitative",
                LEARNING,
                ["SEKJEN.RENKER"],
                ("text", ["BB", "BB", "A", "A", "A"]),
            ),
            (
                "IKU 8.2",
                "Indeks SPBE kementerian",
                "Indeks",
                "latest",
                "higher",
                LEARNING,
                ["PUSDATIN"],
                (3.1, 0.2),
            ),
            (
                "IKU 8.3",
                "Indeks kepuasan pengguna layanan data dan informasi",
                "Indeks",
                "average",
                "higher",
                CUSTOMER,
                ["PUSDATIN", "SEKJEN.HUMAS"],
                (3.3, 0.05),
            ),
        ],
    ),
}


def _round(value) -> Decimal:
    return Decimal(str(round(value, 2)))


def _target(spec, offset: int) -> dict:
    empty = {"value": None, "min_value": None, "max_value": None, "text": ""}
    if spec[0] == "range":
        return {**empty, "min_value": spec[1], "max_value": spec[2]}
    if spec[0] == "text":
        return {**empty, "text": spec[1][min(offset, len(spec[1]) - 1)]}
    first, step = spec
    return {**empty, "value": _round(first + step * offset)}


def load_goals() -> dict:
    """Create or update the example period, goals, ministry indicators and their yearly
    targets. Idempotent; returns counts."""
    name, first, last = PERIOD
    period, _ = RenstraPeriod.objects.update_or_create(
        start_year=first, end_year=last, defaults={"name": name}
    )
    units = {u.code: u for u in Unit.objects.all()}
    measures = measures_on_the_list(spec[2] for _t, specs in GOALS.values() for spec in specs)
    indicators = 0
    for order, (code, (text, specs)) in enumerate(GOALS.items(), start=1):
        goal, _ = StrategicGoal.objects.update_or_create(
            period=period,
            code=code,
            defaults={"text": text, "is_example": True, "sort_order": order},
        )
        for position, spec in enumerate(specs, start=1):
            ind_code, label, measure, aggregation, polarity, perspective, responsible, target = spec
            indicator, _ = MinistryIndicator.objects.update_or_create(
                goal=goal,
                code=ind_code,
                defaults={
                    "name": label,
                    "measure": measures[measure],
                    "aggregation": aggregation,
                    "polarity": polarity,
                    "perspective": perspective,
                    "sort_order": position,
                },
            )
            indicator.responsible_units.set([units[c] for c in responsible if c in units])
            indicators += 1
            for offset, year in enumerate(range(first, last + 1)):
                MinistryTarget.objects.update_or_create(
                    indicator=indicator, year=year, defaults=_target(target, offset)
                )
    return {"goals": len(GOALS), "indicators": indicators}
