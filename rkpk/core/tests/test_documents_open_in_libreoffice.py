"""Every document RK-PK produces opens in LibreOffice: the DOCX and XLSX files are converted
to PDF by `soffice --headless --convert-to pdf` (one call for the whole batch, a profile of
its own per test so parallel workers do not clash), and each PDF's pages are counted and
measured with pdfinfo; the PDFs the application renders itself are checked with pdfinfo.

Needs Debian's libreoffice-writer-nogui, libreoffice-calc-nogui and poppler-utils
(`scripts/install-system-packages.sh test`); skipped with that reason without soffice.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rkpk.core.tests import every_document as kinds

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT = 180  # seconds for the whole batch (a cold start of LibreOffice included)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice is not installed: install Debian's libreoffice-writer-nogui and "
        "libreoffice-calc-nogui (scripts/install-system-packages.sh test)",
    ),
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs pdfinfo (poppler-utils)"),
    pytest.mark.usefixtures("unit_head_approval_off"),
]

PORTRAIT, LANDSCAPE = "portrait", "landscape"


def convert(files: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Convert the DOCX and XLSX files to PDF in ONE soffice call; {name: the PDF}."""
    source, out = folder / "in", folder / "out"
    source.mkdir()
    paths = {}
    for name, data in files.items():
        stem, ext = name.rsplit(".", 1)
        path = source / f"{stem}_{ext}.{ext}"  # "pk.docx" and "pk.xlsx" give two PDFs
        path.write_bytes(data)
        paths[name] = path
    profile = folder / "libreoffice-profile"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, paths.values()),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    result = {name: out / f"{path.stem}.pdf" for name, path in paths.items()}
    missing = [name for name, pdf in result.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}"
    return result


def pages(pdf: Path) -> list[str]:
    """The orientation of every page of a PDF (pdfinfo)."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert len(sizes) == count, info
    return [LANDSCAPE if float(w) > float(h) else PORTRAIT for w, h in sizes]


def text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout


def test_every_document_opens_in_libreoffice_with_the_expected_pages(role_users, units, tmp_path):
    year = kinds.year_of_documents(role_users, units)
    files = kinds.every_document(year)
    produced = {name: data for name, data in files.items() if not name.endswith(".pdf")}
    rendered = {name: data for name, data in files.items() if name.endswith(".pdf")}
    assert {
        "unit-rk.docx",
        "unit-pk.docx",
        "unit-rkpk.docx",
        "consolidated-rk.docx",
        "consolidated-pk.docx",
        "ministry-draft.docx",
        "meeting-report.docx",
        "naskah-dinas.docx",
        "plan-workbook.xlsx",
        "consolidated-rk.xlsx",
        "monitoring.xlsx",
    } <= set(produced)
    pdfs = convert(produced, tmp_path)
    shown = {name: pages(pdf) for name, pdf in pdfs.items()}

    # The RK: landscape tables only.
    assert shown["unit-rk.docx"] and set(shown["unit-rk.docx"]) == {LANDSCAPE}
    assert set(shown["consolidated-rk.docx"]) == {LANDSCAPE}
    # The PK: the statement page portrait, then the attachment in landscape (≥ 2 pages).
    for name in ("unit-pk.docx", "consolidated-pk.docx"):
        assert len(shown[name]) >= 2, (name, shown[name])
        assert shown[name][0] == PORTRAIT and set(shown[name][1:]) == {LANDSCAPE}, name
    rkpk = shown["unit-rkpk.docx"]
    assert len(rkpk) >= 3 and rkpk[0] == LANDSCAPE and PORTRAIT in rkpk and rkpk[-1] == LANDSCAPE
    # The ministry draft: cover and narrative portrait, tables 1 and 2 landscape.
    draft = shown["ministry-draft.docx"]
    assert len(draft) >= 3 and draft[0] == PORTRAIT and draft[-1] == LANDSCAPE
    for name in ("meeting-report.docx", "naskah-dinas.docx"):
        assert shown[name] and set(shown[name]) == {PORTRAIT}, name
    for name in (n for n in shown if n.endswith(".xlsx")):
        assert len(shown[name]) >= 1, name

    # Words stay whole in the narrow landscape columns (a broken word would be split).
    for name in ("unit-pk.docx", "unit-rk.docx", "consolidated-rk.docx", "consolidated-pk.docx"):
        printed = text(pdfs[name])
        for word in kinds.WHOLE_WORDS:
            assert re.search(rf"\b{word}\b", printed, re.IGNORECASE), (name, word)
    # Rupiah in the workbooks print as grouped numbers, never as text with an apostrophe.
    workbook = text(pdfs["plan-workbook.xlsx"])
    assert re.search(r"1[.,]250[.,]000[.,]000[.,]000", workbook)
    assert "'1" not in workbook
    assert re.search(r"1[.,]250[.,]000[.,]000[.,]000", text(pdfs["consolidated-rk.xlsx"]))

    # The PDFs the application renders itself.
    for name, data in rendered.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert len(pages(path)) >= (2 if "-pk" in name else 1), name
    # The PK as PDF too: the statement page portrait, the attachment landscape.
    for name in ("unit-pk.pdf", "consolidated-pk.pdf"):
        on_paper = pages(tmp_path / name)
        assert on_paper[0] == PORTRAIT and set(on_paper[1:]) == {LANDSCAPE}, (name, on_paper)
