"""Benchmark: a registered memorandum as PDF (with its QR code). `python -m bench.memo_pdf`.

Target (issue 4): rendering a memorandum PDF under 500 ms. Seeds the call-for-submissions
memorandum of the reference data on a fresh temporary SQLite database (or DATABASE_URL),
has it reviewed, signed by the Deputy and registered, then times
`render_document(memo, fmt="pdf")` — the render that registration does before sealing.
Also times the DOCX and the PAdES seal with a throw-away self-signed certificate.
Prints figures; asserts nothing. `--out DIR` also writes the files there, to look at.
"""

import argparse
import io
import sys
import tempfile
from pathlib import Path

from bench.__main__ import report, setup_django, timed


def seed_memo():
    """The Deputy's memorandum to every unit, reviewed, signed (as Plt) and registered."""
    from rkpk.correspondence import services
    from rkpk.correspondence.models import LetterTemplate
    from rkpk.organisation.models import Official, RoleAssignment, User

    users = {}
    for role in ("staff", "head_of_bureau", "deputy"):
        users[role] = User.objects.create_user(username=f"bench_{role}", password=None)
        RoleAssignment.objects.create(user=users[role], role=role)
    users["deputy"].official = Official.objects.create(
        name="Prof. Dr. Hendra Wijayakusuma, S.H., M.H.",
        nip="196208171988031002",
        position="Deputi Bidang Pengawasan",
    )
    users["deputy"].save()
    memo = services.create_from_template(
        actor=users["staff"],
        template=LetterTemplate.objects.get(key="step1-call-for-submissions"),
        values={"year": 2027, "cycle": "RK-PK 2027", "deadline": "29 Januari 2027"},
        addressee="Para Pimpinan Satuan Organisasi/Satuan Kerja\n"
        "di lingkungan Kementerian Sekretariat Negara",
        copies="Menteri Sekretaris Negara\nSekretaris Kementerian Sekretariat Negara\n"
        "Kepala Biro Akuntabilitas Kinerja",
    )
    services.send_for_review(actor=users["staff"], document=memo)
    services.review(actor=users["head_of_bureau"], document=memo, approve=True)
    services.sign(actor=users["deputy"], document=memo, acting="Plt")
    return services.register(actor=users["staff"], document=memo)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, help="also write the documents to this folder")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from rkpk.correspondence import signing
    from rkpk.correspondence.rendering import render_document

    memo = seed_memo()
    # The first render loads fonts and parses the stylesheet: timed apart.
    first = timed(lambda: render_document(memo, fmt="pdf"), 1)
    report("correspondence: memo PDF, first render in the process", first)
    pdf_samples = timed(lambda: render_document(memo, fmt="pdf"), args.repeat)
    pdf = render_document(memo, fmt="pdf")
    report(
        "correspondence: memo PDF with QR (target < 500 ms)",
        pdf_samples,
        extra=f"{len(pdf) // 1024} KiB",
    )
    docx = render_document(memo, fmt="docx")
    report(
        "correspondence: memo DOCX with QR",
        timed(lambda: render_document(memo, fmt="docx"), args.repeat),
        extra=f"{len(docx) // 1024} KiB",
    )

    folder = Path(tempfile.mkdtemp(prefix="rkpk-bench-cert-"))
    call_command("make_signing_certificate", "--out", str(folder), stdout=io.StringIO())
    settings.RKPK_SIGNING_CERT = str(folder / "signing-cert.pem")
    settings.RKPK_SIGNING_KEY = str(folder / "signing-key.pem")
    reason = f"{memo.number} — {memo.subject}"[:200]
    signing.sign_pdf(pdf, reason=reason, signer_name=memo.signed_name)  # loads the key
    signed = signing.sign_pdf(pdf, reason=reason, signer_name=memo.signed_name)
    report(
        "correspondence: PAdES seal of the memo PDF",
        timed(lambda: signing.sign_pdf(pdf, reason=reason, signer_name=memo.signed_name), 10),
    )
    report(
        "correspondence: validate the PAdES signature",
        timed(lambda: signing.verify_pdf(signed), 10),
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "memo.pdf").write_bytes(pdf)
        (args.out / "memo-signed.pdf").write_bytes(signed)
        (args.out / "memo.docx").write_bytes(docx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
