"""Plans of the second demo organisation (the fictional "Kementerian Contoh Kelautan dan
Pesisir"), for `rkpk seed_demo --organisation kelautan`. EXAMPLE DATA.

Every unit down to Eselon II has a plan for each year. The Eselon I plans list, under their
program, one line per child unit that rolls up that unit's plan (`Activity.rolls_up`, the
budget being the child's plan total), as real Eselon I plans do; the Sekretariat Jenderal
also has an activity of its own. Targets include ranges with a negative minimum,
lower-is-better indicators and qualitative values; some Eselon I indicators repeat their
children's. The last year's plans are in mixed states; earlier years are accepted.
"""

import random
from decimal import Decimal

from django.utils import timezone

from rkpk.organisation.models import Headship, Official, Unit
from rkpk.plans.checks import run_checks
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    MeasureUnit,
    Submission,
    UnitPlan,
)
from rkpk.plans.snapshot import plan_snapshot, total_budget

# Satuan this organisation uses beyond the standard list.
EXTRA_MEASURES = ["Hektare", "Ton", "Pulau"]

HIGHER, LOWER, RANGE = "higher", "lower", "range"

# Every plan's last goal: the unit's own accountability, with a qualitative target and a
# range whose minimum is negative.
COMMON_GOAL = (
    "Meningkatnya akuntabilitas kinerja dan anggaran unit",
    [
        ("Nilai evaluasi akuntabilitas kinerja unit", "Predikat", "BB", HIGHER),
        (
            "Deviasi realisasi anggaran terhadap rencana penarikan dana",
            "Persen",
            (Decimal("-5"), Decimal("5")),
            RANGE,
        ),
    ],
)

_SES = (
    [
        (
            "Persentase layanan dukungan manajemen yang diselesaikan tepat waktu",
            "Persen",
            92,
            HIGHER,
        ),
        ("Jumlah dokumen perencanaan dan laporan kinerja yang disusun", "Dokumen", 6, HIGHER),
    ],
    ["Penyusunan rencana, program, dan anggaran", "Pengelolaan administrasi umum dan kepegawaian"],
)

# unit code -> (goal, [(indicator, satuan, next year's target, polarity)], [own activities])
# A target is a number, a (min, max) range or a qualitative value.
PLANS = {
    "SEKJEN": (
        "Terwujudnya dukungan manajemen kementerian yang akuntabel",
        [
            ("Opini BPK atas laporan keuangan kementerian", "Predikat", "WTP", HIGHER),
            ("Predikat SAKIP kementerian", "Predikat", "A", HIGHER),
        ],
        ["Koordinasi pimpinan dan dukungan Sekretariat Jenderal"],
    ),
    "SEKJEN.RENKER": (
        "Meningkatnya kualitas perencanaan, kerja sama, dan evaluasi kinerja",
        [
            ("Predikat SAKIP kementerian", "Predikat", "A", HIGHER),
            ("Jumlah dokumen perencanaan dan kerja sama yang ditetapkan", "Dokumen", 12, HIGHER),
        ],
        ["Penyusunan rencana kerja dan anggaran kementerian", "Evaluasi dan pelaporan kinerja"],
    ),
    "SEKJEN.KEU": (
        "Terwujudnya pengelolaan keuangan dan barang milik negara yang akuntabel",
        [
            ("Opini BPK atas laporan keuangan kementerian", "Predikat", "WTP", HIGHER),
            (
                "Persentase barang milik negara yang tercatat dan bersertifikat",
                "Persen",
                90,
                HIGHER,
            ),
        ],
        ["Penyusunan laporan keuangan kementerian", "Penatausahaan barang milik negara"],
    ),
    "SEKJEN.SDMO": (
        "Meningkatnya profesionalitas aparatur dan efektivitas organisasi",
        [
            ("Indeks profesionalitas ASN kementerian", "Indeks", 78, HIGHER),
            ("Jumlah pegawai yang mengikuti pengembangan kompetensi", "Orang", 1200, HIGHER),
        ],
        ["Pengembangan kompetensi pegawai", "Penataan organisasi dan tata laksana"],
    ),
    "SEKJEN.UMUM": (
        "Meningkatnya kualitas layanan umum dan pengadaan",
        [
            ("Indeks kepuasan layanan umum dan pengadaan", "Indeks", 3.4, HIGHER),
            ("Rata-rata waktu proses pengadaan barang dan jasa", "Hari", 21, LOWER),
        ],
        ["Pengelolaan rumah tangga dan perlengkapan", "Layanan pengadaan barang dan jasa"],
    ),
    "SEKJEN.HUMAS": (
        "Meningkatnya kualitas layanan hukum dan informasi publik",
        [
            ("Jumlah rancangan peraturan menteri yang diselesaikan", "Peraturan", 30, HIGHER),
            ("Indeks persepsi publik atas informasi kementerian", "Indeks", 3.3, HIGHER),
        ],
        ["Penyusunan rancangan peraturan dan bantuan hukum", "Komunikasi dan informasi publik"],
    ),
    "ITJEN": (
        "Meningkatnya efektivitas pengawasan intern",
        [
            (
                "Persentase rekomendasi hasil pengawasan yang ditindaklanjuti",
                "Persen",
                87.5,
                HIGHER,
            ),
            ("Jumlah temuan berulang hasil pemeriksaan", "Kali", 26, LOWER),
        ],
        [],
    ),
    "ITJEN.IR1": (
        "Meningkatnya kualitas pengawasan intern wilayah I",
        [
            (
                "Persentase rekomendasi pengawasan wilayah I yang ditindaklanjuti",
                "Persen",
                88,
                HIGHER,
            ),
            ("Jumlah laporan hasil audit kinerja", "Laporan", 24, HIGHER),
        ],
        ["Audit kinerja dan reviu wilayah I", "Pemantauan tindak lanjut wilayah I"],
    ),
    "ITJEN.IR2": (
        "Meningkatnya kualitas pengawasan intern wilayah II",
        [
            (
                "Persentase rekomendasi pengawasan wilayah II yang ditindaklanjuti",
                "Persen",
                86,
                HIGHER,
            ),
            ("Jumlah laporan hasil reviu laporan keuangan", "Laporan", 12, HIGHER),
        ],
        ["Audit keuangan dan reviu wilayah II", "Pemantauan tindak lanjut wilayah II"],
    ),
    "DJPRL": (
        "Meningkatnya pengelolaan ruang laut yang berkelanjutan",
        [
            # Repeats the children's indicators: a sum must count them once.
            (
                "Luas kawasan konservasi pesisir dan laut yang dikelola efektif",
                "Hektare",
                2_700_000,
                HIGHER,
            ),
            ("Jumlah pulau kecil yang dikelola berbasis masyarakat", "Pulau", 50, HIGHER),
        ],
        [],
    ),
    "DJPRL.SES": (
        "Meningkatnya kualitas dukungan manajemen Ditjen Pengelolaan Ruang Laut",
        *_SES,
    ),
    "DJPRL.KONSERVASI": (
        "Meningkatnya kesehatan ekosistem pesisir di kawasan konservasi",
        [
            (
                "Luas kawasan konservasi pesisir dan laut yang dikelola efektif",
                "Hektare",
                2_700_000,
                HIGHER,
            ),
            (
                "Perubahan tutupan karang hidup di kawasan konservasi",
                "Persen",
                (Decimal("-1"), Decimal("1")),
                RANGE,
            ),
        ],
        ["Pengelolaan kawasan konservasi perairan", "Rehabilitasi ekosistem mangrove dan lamun"],
    ),
    "DJPRL.PULAU": (
        "Meningkatnya pendayagunaan pulau-pulau kecil",
        [
            ("Jumlah pulau kecil yang dikelola berbasis masyarakat", "Pulau", 50, HIGHER),
            ("Jumlah pulau kecil terluar yang dipetakan potensinya", "Pulau", 15, HIGHER),
        ],
        ["Pendayagunaan pulau-pulau kecil", "Pemetaan potensi pulau-pulau kecil terluar"],
    ),
    "DJPT": (
        "Meningkatnya produktivitas perikanan tangkap yang berkelanjutan",
        [
            ("Produksi perikanan tangkap yang tercatat", "Ton", 7_400_000, HIGHER),
            ("Jumlah kasus penangkapan ikan ilegal yang terjadi", "Kali", 100, LOWER),
        ],
        [],
    ),
    "DJPT.SES": (
        "Meningkatnya kualitas dukungan manajemen Ditjen Perikanan Tangkap",
        *_SES,
    ),
    "DJPT.KAPAL": (
        "Meningkatnya kepatuhan kapal dan alat penangkapan ikan",
        [
            ("Jumlah kasus penangkapan ikan ilegal yang terjadi", "Kali", 100, LOWER),
            ("Jumlah kapal perikanan yang terdaftar dan laik operasi", "Unit", 5200, HIGHER),
        ],
        ["Pendaftaran dan sertifikasi kapal perikanan", "Pengendalian alat penangkapan ikan"],
    ),
    "DJPT.PELABUHAN": (
        "Meningkatnya kualitas layanan pelabuhan perikanan",
        [
            ("Rata-rata waktu layanan sandar dan bongkar kapal perikanan", "Hari", 2.5, LOWER),
            ("Indeks kepuasan pengguna pelabuhan perikanan", "Indeks", 3.5, HIGHER),
            ("Jumlah pelabuhan perikanan yang memenuhi standar kebersihan", "Unit", 18, HIGHER),
        ],
        ["Pengelolaan operasional pelabuhan perikanan", "Peningkatan sarana pelabuhan perikanan"],
    ),
    "BRSDM": (
        "Meningkatnya kualitas riset dan sumber daya manusia kelautan",
        [
            (
                "Jumlah rekomendasi riset yang dimanfaatkan pengambil kebijakan",
                "Rekomendasi",
                31,
                HIGHER,
            ),
            (
                "Persentase lulusan pendidikan kelautan yang terserap dunia kerja",
                "Persen",
                74,
                HIGHER,
            ),
        ],
        [],
    ),
    "BRSDM.SES": (
        "Meningkatnya kualitas dukungan manajemen Badan Riset dan SDM",
        *_SES,
    ),
    "BRSDM.RISET": (
        "Meningkatnya pemanfaatan hasil riset kelautan dan pesisir",
        [
            (
                "Jumlah rekomendasi riset yang dimanfaatkan pengambil kebijakan",
                "Rekomendasi",
                31,
                HIGHER,
            ),
            ("Jumlah publikasi ilmiah internasional bereputasi", "Naskah", 40, HIGHER),
        ],
        ["Riset sumber daya kelautan dan pesisir", "Diseminasi hasil riset"],
    ),
    "BRSDM.DIKLAT": (
        "Meningkatnya kompetensi lulusan dan peserta pelatihan kelautan",
        [
            (
                "Persentase lulusan pendidikan kelautan yang terserap dunia kerja",
                "Persen",
                74,
                HIGHER,
            ),
            ("Jumlah peserta pelatihan kelautan yang tersertifikasi", "Orang", 3500, HIGHER),
        ],
        ["Penyelenggaraan pendidikan vokasi kelautan", "Pelatihan dan sertifikasi kompetensi"],
    ),
    "PUSDATIN": (
        "Meningkatnya keandalan data dan layanan informasi kementerian",
        [
            ("Indeks SPBE kementerian", "Indeks", 3.5, HIGHER),
            ("Indeks kepuasan pengguna layanan data dan informasi", "Indeks", 3.4, HIGHER),
            ("Jumlah layanan yang terdigitalisasi", "Layanan", 25, HIGHER),
        ],
        ["Pengelolaan data dan statistik kelautan", "Pengembangan sistem informasi terpadu"],
    ),
}

PROGRAMS = {
    "SEKJEN": ("DM", "Program Dukungan Manajemen"),
    "ITJEN": ("DM", "Program Dukungan Manajemen"),
    "DJPRL": ("PRL", "Program Pengelolaan Ruang Laut"),
    "DJPT": ("PT", "Program Pengelolaan Perikanan Tangkap"),
    "BRSDM": ("RSDM", "Program Riset dan Pengembangan Sumber Daya Manusia"),
    "PUSDATIN": ("DM", "Program Dukungan Manajemen"),
}

# Next year's states (the rest accepted): operator1's unit has a draft to work on,
# operator2's plan waits for the bureau.
LAST_YEAR_STATES = {
    "DJPT.PELABUHAN": "draft",
    "PUSDATIN": "submitted",
    "SEKJEN.HUMAS": "clarification",
    "BRSDM.DIKLAT": "submitted",
    "DJPRL.SES": "draft",
}


def _earlier(target, polarity: str, years_back: int):
    """The target `years_back` years earlier: lower when higher is better, and so on."""
    if not years_back or isinstance(target, (str, tuple)):
        return target
    factor = Decimal("1.05") ** years_back
    value = Decimal(str(target))
    value = value / factor if polarity == HIGHER else value * factor
    return value.quantize(Decimal(1)) if value >= 100 else value.quantize(Decimal("0.01"))


def _target_fields(target, measure: str) -> dict:
    if isinstance(target, tuple):
        return {"target_kind": "range", "target_min": target[0], "target_max": target[1]}
    if isinstance(target, str):
        return {"target_kind": "qualitative", "target_text": target}
    kind = "percent" if measure == "Persen" else "number"
    return {"target_kind": kind, "target_value": Decimal(str(target))}


def _heads() -> dict[int, tuple[Official, str]]:
    """unit id -> (head, "" or "Plt"/"Plh"): the definitive head, else the acting one."""
    heads: dict[int, tuple[Official, str]] = {}
    for headship in Headship.objects.select_related("official").order_by("kind", "pk"):
        kind = "" if headship.kind == Headship.Kind.DEFINITIVE else headship.kind
        current = heads.get(headship.unit_id)
        if current is None or (current[1] and not kind):
            heads[headship.unit_id] = (headship.official, kind)
    return heads


def _fill(plan: UnitPlan, spec, years_back: int, previous: dict, rng, number: int) -> dict:
    goal_text, indicators, own_activities = spec
    goals = [(goal_text, indicators), COMMON_GOAL]
    made = {}
    n = 0
    for g, (text, items) in enumerate(goals, start=1):
        goal = Goal.objects.create(plan=plan, position=g, code=f"S{g}", text=text)
        for position, (name, measure, target, polarity) in enumerate(items, start=1):
            n += 1
            code = f"IK{n}"
            made[code] = Indicator.objects.create(
                plan=plan,
                goal=goal,
                position=position,
                code=code,
                name=name,
                definition=f"Definisi operasional: {name[0].lower()}{name[1:]}.",
                formula="Realisasi dibagi target × 100%" if measure == "Persen" else "",
                measure=measure,
                polarity=polarity,
                data_source="Laporan capaian kinerja unit",
                indicator_type="outcome" if g == 1 else "output",
                in_pk=True,
                previous=previous.get(code),
                **_target_fields(_earlier(target, polarity, years_back), measure),
            )
    if own_activities:
        lines = []
        for i, name in enumerate(own_activities, start=1):
            millions = Decimal(rng.randint(20, 400) * 100) / Decimal("1.06") ** years_back
            lines.append((f"{4000 + 10 * number + i}", name, millions.quantize(1) * 1_000_000))
        _activities(plan, lines)
    return made


def _activities(plan: UnitPlan, lines: list, rollups: list | None = None) -> None:
    """The plan's program line, its own activities and its roll-up lines, with outputs."""
    program_code, program_name = PROGRAMS[_root(plan.unit).code]
    rollups = rollups or []
    total = sum((b for _c, _n, b in lines), Decimal(0)) + sum(
        (b for _u, b, _o in rollups), Decimal(0)
    )
    Activity.objects.create(
        plan=plan, position=1, kind="program", code=program_code, name=program_name, budget=total
    )
    position = 1
    for code, name, budget in lines:
        position += 1
        activity = Activity.objects.create(
            plan=plan, position=position, kind="activity", code=code, name=name, budget=budget
        )
        ActivityIndicator.objects.create(
            activity=activity,
            position=1,
            name=f"Laporan pelaksanaan {name[0].lower()}{name[1:]}",
            measure="Laporan",
            target_kind="number",
            target_value=Decimal(4),
        )
    for child, budget, output in rollups:
        position += 1
        activity = Activity.objects.create(
            plan=plan,
            position=position,
            kind="activity",
            code=child.short_name[:30],
            name=child.name,
            budget=budget,
            rolls_up=child,
        )
        if output is not None:
            ActivityIndicator.objects.create(
                activity=activity,
                position=1,
                name=output.name,
                measure=output.measure,
                target_kind=output.target_kind,
                target_value=output.target_value,
                target_min=output.target_min,
                target_max=output.target_max,
                target_text=output.target_text,
            )


def _root(unit: Unit) -> Unit:
    while unit.parent_id is not None:
        unit = unit.parent
    return unit


def _submit(plan: UnitPlan, state: str, submitter, reviewer) -> None:
    if state == UnitPlan.Status.DRAFT:
        return
    decision = {
        UnitPlan.Status.ACCEPTED: Submission.Decision.ACCEPTED,
        UnitPlan.Status.CLARIFICATION: Submission.Decision.CLARIFICATION,
    }.get(state, Submission.Decision.PENDING)
    decided = decision != Submission.Decision.PENDING
    snapshot = plan_snapshot(plan)
    now = timezone.now()
    Submission.objects.create(
        plan=plan,
        number=1,
        snapshot=snapshot,
        checks=run_checks(snapshot),
        submitted_by=submitter,
        submitted_at=now,
        decision=decision,
        decided_by=reviewer if decided else None,
        decided_at=now if decided else None,
    )


def add_measures() -> None:
    """Put this organisation's own satuan on the list of units of measure (kept active)."""
    for order, name in enumerate(EXTRA_MEASURES, start=900):
        measure, created = MeasureUnit.objects.get_or_create(
            name=name, defaults={"sort_order": order}
        )
        if not created and not measure.is_active:
            measure.is_active = True
            measure.save(update_fields=["is_active"])


def load_plans(*, years: list[int], submitter, reviewer) -> int:
    """Plans for every unit down to Eselon II and every year (children first, so that the
    Eselon I roll-up lines carry their children's totals). A plan already there is kept."""
    add_measures()
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in=PLANS, is_active=True).select_related("parent")
    }
    heads = _heads()
    minister = (
        Official.objects.filter(is_state_official=True, is_active=True).order_by("pk").first()
    )
    # Children before parents.
    ordered = sorted(units.values(), key=lambda u: (-u.level, u.parent_id is None, u.sort_order))
    made = 0
    last = max(years)
    for year in sorted(years):
        years_back = last - year
        for number, unit in enumerate(ordered, start=1):
            if UnitPlan.objects.filter(unit=unit, year=year).exists():
                continue
            state = LAST_YEAR_STATES.get(unit.code, "accepted") if year == last else "accepted"
            plan = UnitPlan.objects.create(unit=unit, year=year, status=state)
            previous = {
                i.code: i for i in Indicator.objects.filter(plan__unit=unit, plan__year=year - 1)
            }
            rng = random.Random(f"{unit.code}-{year}")
            spec = PLANS[unit.code]
            children = [c for c in units.values() if c.parent_id == unit.pk]
            if children:
                _fill(plan, (spec[0], spec[1], []), years_back, previous, rng, number)
                rollups = []
                for child in sorted(children, key=lambda c: c.sort_order):
                    child_plan = UnitPlan.objects.filter(unit=child, year=year).first()
                    if child_plan is None:
                        continue
                    lines = list(child_plan.activities.values("kind", "budget"))
                    output = child_plan.indicators.order_by("goal__position", "position").first()
                    rollups.append((child, total_budget(lines), output))
                own = [
                    (f"{4000 + 10 * number + i}", name, Decimal(rng.randint(20, 80) * 100_000_000))
                    for i, name in enumerate(spec[2], start=1)
                ]
                _activities(plan, own, rollups)
            else:
                _fill(plan, spec, years_back, previous, rng, number)
            head = heads.get(unit.pk)
            superior = heads.get(unit.parent_id) if unit.parent_id else (minister, "")
            plan.first_party, plan.first_party_acting = head or (None, "")
            plan.second_party, plan.second_party_acting = superior or (None, "")
            plan.save(
                update_fields=[
                    "first_party",
                    "first_party_acting",
                    "second_party",
                    "second_party_acting",
                ]
            )
            _submit(plan, state, submitter, reviewer)
            made += 1
    return made
