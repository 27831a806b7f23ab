"""The generated part of the ministry RK-PK: its tables, built from a compilation, the
anchors reviewers comment on, and the narrative sections a new draft starts with."""

from rkpk.core.formatting import format_rupiah
from rkpk.organisation.profile import current_profile
from rkpk.plans.documents import clean


def generate_tables(compilation) -> dict:
    """Table 1 (strategic goals → ministry indicators → satuan, target) and table 2
    (programs with budgets and the total), every row with a stable key to anchor comments."""
    data = compilation.data or {}
    goals = []
    for number, goal in enumerate(data.get("goals", []), start=1):
        code = clean(goal.get("code")) or str(goal.get("id"))
        goals.append(
            {
                "key": f"goal:{code}",
                "number": number,
                "code": code,
                "text": clean(goal.get("text")),
                "indicators": [
                    {
                        "key": f"indicator:{clean(mi.get('code')) or mi.get('id')}",
                        "code": clean(mi.get("code")),
                        "name": clean(mi.get("name")),
                        "measure": clean(mi.get("measure")),
                        "target": clean(mi.get("target")),
                        "compiled": clean(mi.get("value_display")),
                        "unit_indicators": mi.get("count", 0),
                    }
                    for mi in goal.get("ministry_indicators", [])
                ],
                "unit_indicators": len(goal.get("unit_indicators", [])),
            }
        )
    programs = [
        {
            "key": f"program:{number}",
            "number": number,
            "name": clean(p.get("name")),
            "budget": clean(p.get("budget_display")),
        }
        for number, p in enumerate(data.get("budget_by_program", []), start=1)
    ]
    counts = data.get("counts", {})
    return {
        "goals": goals,
        "programs": programs,
        "budget_total": clean(data.get("budget_total_display")) or format_rupiah(0),
        "units": counts.get("units", 0),
        "unit_indicators": counts.get("indicators", 0),
        "unmapped": counts.get("unmapped", 0),
    }


def anchors(content: dict) -> dict[str, dict[str, str]]:
    """{"section": {key: title}, "row": {key: label}} of a version's content."""
    rows = {}
    tables = content.get("tables", {})
    for goal in tables.get("goals", []):
        rows[goal["key"]] = f"{goal['code']} {goal['text']}"
        for indicator in goal.get("indicators", []):
            rows[indicator["key"]] = f"{indicator['code']} {indicator['name']}"
    for program in tables.get("programs", []):
        rows[program["key"]] = program["name"]
    return {
        "section": {s["key"]: s["title"] for s in content.get("sections", [])},
        "row": rows,
    }


def _analysis_text(analysis_version) -> str:
    if analysis_version is None:
        return ""
    for section in analysis_version.content.get("sections", []):
        if section.get("text", "").strip():
            return section["text"].strip()
    return ""


def DEFAULT_SECTIONS(year: int, tables: dict, analysis_version) -> list[dict]:  # noqa: N802
    """The narrative sections of a new draft, pre-filled where the data says something."""
    goals = len(tables["goals"])
    indicators = sum(len(g["indicators"]) for g in tables["goals"])
    organisation = current_profile().name
    return [
        {
            "key": "pendahuluan",
            "title": "Bab I Pendahuluan",
            "text": (
                f"Rencana Kinerja dan Penetapan Kinerja {organisation} Tahun "
                f"{year} disusun berdasarkan Rencana Kinerja dan Penetapan Kinerja "
                f"{tables['units']} satuan organisasi/satuan kerja, sebagai penjabaran "
                "Rencana Strategis Kementerian dan tolok ukur keberhasilan kinerja tahun "
                "berjalan."
            ),
        },
        {
            "key": "analisis",
            "title": "Bab II Sasaran Stratejik dan Hasil Analisis",
            "text": _analysis_text(analysis_version)
            or (
                f"Kinerja Kementerian diukur melalui {goals} sasaran stratejik dengan "
                f"{indicators} indikator kinerja utama."
            ),
        },
        {
            "key": "program",
            "title": "Bab III Program dan Anggaran",
            "text": (
                f"Sasaran tersebut dicapai melalui {len(tables['programs'])} program dengan "
                f"pagu anggaran seluruhnya {tables['budget_total']}."
            ),
        },
        {
            "key": "penutup",
            "title": "Bab IV Penutup",
            "text": (
                f"Penetapan Kinerja ini menjadi komitmen {organisation} untuk "
                "mewujudkan target kinerja yang telah ditetapkan."
            ),
        },
    ]
