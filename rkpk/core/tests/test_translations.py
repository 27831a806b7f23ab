import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES"


def test_every_message_has_an_indonesian_translation():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    untranslated = []
    for block in text.split("\n\n")[1:]:  # the first block is the header
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        if not lines:
            continue
        msgstr = [line for line in lines if line.startswith("msgstr")]
        if msgstr and all(line.endswith('""') for line in msgstr):
            # A multi-line msgstr starts with "" and continues on the next lines.
            continued = lines[lines.index(msgstr[-1]) + 1 :]
            if not continued:
                untranslated.append(lines[0])
    assert untranslated == []
    assert "#, fuzzy" not in text


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), (
        "Run `make messages` and commit the .mo file."
    )
