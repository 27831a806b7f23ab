"""Benchmark: the ministry's final PK (and RK), rendered and signed. `python -m bench.final_pk`.

Target: the ministry's final PK PDF under 5 s. Seeds a ministry-scale year on a fresh
temporary SQLite database (or DATABASE_URL): 200 units with accepted plans of 50 indicators
each and the 21 demo strategic goals (`bench.compile_plans.seed`), 3–5 ministry indicators
per goal with the unit indicators mapped among them; compiles the year, approves the
analysis, takes a cycle through steps 1–6, drafts the ministry RK-PK, has it approved by
the head of bureau and the deputy, registers and dispatches the deputy's memorandum to the
minister (step 10) and has the minister sign it (`rkpk.ministry.services.sign`: both final
PDFs rendered and PAdES-signed with a throw-away self-signed certificate).

Then times `rkpk.ministry.documents.render_final(kind="pk")` (the first render in the
process apart), the PAdES signature alone, and render + signature together, and the RK the
same way. Prints figures; asserts nothing. `--out DIR` also writes the PDFs there.
"""

import argparse
import io
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.__main__ import report, setup_django, timed

YEAR = 2027
URL = "https://rkpk.setneg.go.id/verify/bench-verification-token-0123456789/"


def user_with(username: str, *roles, official=None):
    from rkpk.organisation.models import Official, RoleAssignment, User

    user = User.objects.create_user(username=username, password=None)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    if official:
        user.official = Official.objects.create(**official)
        user.save(update_fields=["official"])
    return user


def more_ministry_indicators(user, year: int = YEAR) -> int:
    """3–5 ministry indicators per goal (one exists), the unit indicators mapped among them."""
    from django.db.models import F
    from django.db.models.functions import Mod

    from rkpk.analysis.models import Mapping, MinistryIndicator, MinistryTarget, StrategicGoal

    for n, goal in enumerate(StrategicGoal.objects.order_by("sort_order")):
        existing = list(goal.indicators.order_by("sort_order", "id"))
        wanted = 3 + n % 3
        made = [
            MinistryIndicator.objects.create(
                goal=goal,
                code=f"IKU-{n + 1}.{k}",
                name=f"Persentase capaian sasaran strategis {n + 1} pada aspek {k}",
                measure=("Persen", "Indeks", "Dokumen")[k % 3],
                aggregation=existing[0].aggregation,
                sort_order=k,
            )
            for k in range(2, wanted + 1)
        ]
        for k, mi in enumerate(made, start=2):
            MinistryTarget.objects.create(indicator=mi, year=year, value=70 + k * 5)
        group = existing[:1] + made
        for j, mi in enumerate(group):
            Mapping.objects.filter(goal=goal).annotate(m=Mod(F("indicator_id"), len(group))).filter(
                m=j
            ).update(ministry_indicator=mi)
    return MinistryIndicator.objects.count()


def seed_signed_plan(units: int, indicators: int):
    """The ministry RK-PK of YEAR approved by the deputy, with step 10 done (not signed)."""
    from rkpk.correspondence.procedure_documents import TO_MINISTER

    from bench.compile_plans import seed
    from rkpk.analysis import services as analysis_services
    from rkpk.analysis import services_drafts
    from rkpk.correspondence import dispatch
    from rkpk.correspondence import services as correspondence
    from rkpk.correspondence.models import Document
    from rkpk.ministry import services
    from rkpk.organisation.models import UNIT_ROLES, Role
    from rkpk.procedure import services as procedure

    bench_user, _ids = seed(units, indicators, year=YEAR)
    mover = user_with("bench_mover", *[r for r in Role if r not in UNIT_ROLES])
    more_ministry_indicators(bench_user)
    users = {
        "staff": user_with("bench_staff", Role.STAFF),
        "head_of_section": user_with("bench_section", Role.HEAD_OF_SECTION),
        "head_of_bureau": user_with("bench_bureau", Role.HEAD_OF_BUREAU),
        "deputy": user_with("bench_deputy", Role.DEPUTY),
        "minister": user_with(
            "bench_minister",
            Role.MINISTER,
            official={
                "name": "Prof. Dr. Pratikno Wirasaputra, M.Soc.Sc.",
                "nip": "196202141987031002",
                "position": "Menteri Sekretaris Negara",
            },
        ),
    }
    analysis_services.compile_year(actor=users["staff"], year=YEAR)
    draft = services_drafts.create_or_refresh_draft(actor=users["staff"], year=YEAR)
    section = draft.sections.first()
    services_drafts.update_section(
        actor=users["staff"],
        section=section,
        revision=section.revision,
        text="Seluruh sasaran strategis didukung indikator kinerja satuan organisasi.",
    )
    services_drafts.submit(actor=users["staff"], draft=draft)
    services_drafts.approve(actor=users["head_of_bureau"], draft=draft)

    from rkpk.core.calendar import today

    cycle = procedure.start_cycle(actor=mover, year=YEAR, start_date=today() - timedelta(days=40))
    for step in cycle.steps.select_related("standard_step").order_by("number"):
        if step.number > 6:
            break
        step = procedure.advance(actor=mover, step=step, action=procedure.Action.START)
        procedure.advance(actor=mover, step=step, action=procedure.Action.COMPLETE)

    plan = services.create_plan(actor=users["head_of_section"], cycle=cycle)
    version = services.submit(actor=users["head_of_section"], plan=plan)
    services.approve(actor=users["head_of_bureau"], plan=plan, version_number=version.number)
    services.approve(actor=users["deputy"], plan=plan, version_number=version.number)
    memo = Document.objects.get(cycle=cycle, purpose=TO_MINISTER, status="signed")
    correspondence.register(actor=users["staff"], document=memo)
    dispatch.dispatch(actor=users["staff"], document=memo, others=["Menteri Sekretaris Negara"])
    plan.refresh_from_db()
    return plan, version, users


def pages(data: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the PDFs to this folder")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from rkpk.correspondence import signing
    from rkpk.ministry import documents, services
    from rkpk.ministry.models import FinalDocument

    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    plan, version, users = seed_signed_plan(args.units, args.indicators)
    tables = version.content["tables"]
    rows = sum(len(g["indicators"]) for g in tables["goals"])
    print(
        f"seeded in {time.perf_counter() - started:.1f} s: {tables['units']} units, "
        f"{tables['unit_indicators']} unit indicators, {len(tables['goals'])} goals, "
        f"{rows} ministry indicators, {len(tables['programs'])} programs"
    )

    folder = Path(tempfile.mkdtemp(prefix="rkpk-bench-cert-"))
    call_command("make_signing_certificate", "--out", str(folder), stdout=io.StringIO())
    settings.RKPK_SIGNING_CERT = str(folder / "signing-cert.pem")
    settings.RKPK_SIGNING_KEY = str(folder / "signing-key.pem")
    signer = signing.get_signer()

    # The minister signs: both documents rendered and sealed, the first render in the process.
    sign = timed(
        lambda: services.sign(actor=users["minister"], plan=plan, version_number=version.number),
        1,
    )
    report("ministry: services.sign (RK + PK, PAdES), first in process", sign)
    plan.refresh_from_db()

    def render(kind):
        return documents.render_final(plan, kind=kind, verification_url=URL)

    pk = render("pk")
    report(
        "ministry: final PK PDF, render_final (target < 5 s)",
        timed(lambda: render("pk"), args.repeat),
        extra=f"{pages(pk)} pages, {len(pk) // 1024} KiB",
    )
    report(
        "ministry: final PK PDF, PAdES signature alone",
        timed(lambda: signer.sign(pk, reason="Penetapan Kinerja", signer_name="Menteri"), 10),
    )
    report(
        "ministry: final PK PDF, render + PAdES (target < 5 s)",
        timed(lambda: signer.sign(render("pk"), reason="PK", signer_name="M"), args.repeat),
    )
    rk = render("rk")
    report(
        "ministry: final RK PDF, render + PAdES",
        timed(lambda: signer.sign(render("rk"), reason="RK", signer_name="M"), args.repeat),
        extra=f"{pages(rk)} pages, {len(rk) // 1024} KiB",
    )
    report(
        "ministry: draft version PDF",
        timed(lambda: documents.render_version(version, fmt="pdf"), args.repeat),
    )
    report(
        "ministry: draft version DOCX",
        timed(lambda: documents.render_version(version, fmt="docx"), args.repeat),
    )
    issued = {f.kind: f for f in FinalDocument.objects.filter(plan=plan)}
    for kind, final in issued.items():
        with final.pdf.open("rb") as handle:
            result = signer.verify(handle.read())
        print(f"issued {kind.upper()}: signature ok={result.ok}, sha256={final.pdf_sha256[:16]}…")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for kind, final in issued.items():
            with final.pdf.open("rb") as handle:
                (args.out / documents.final_filename(plan, kind)).write_bytes(handle.read())
        (args.out / documents.version_filename(version, "pdf")).write_bytes(
            documents.render_version(version, fmt="pdf")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
