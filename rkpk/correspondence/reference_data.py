"""The procedure's registers and document templates, loaded by a data migration.

They are data an admin edits afterwards; another ministry changes the letterhead,
patterns and wording without touching code. The organisation's names and titles are
placeholders filled from the organisation profile when a document is created:
{organisation}, {organisation_upper}, {organisation_short}, {minister_title},
{deputy_title}, {head_of_bureau_title}, {coordinating_unit}, {general_bureau}, {address};
register patterns take {organisation} (the profile's short name).
"""

LETTERHEAD = "{organisation_upper}\nREPUBLIK INDONESIA\n{address}"

REGISTERS = [
    # code, name, pattern, unit token, classification
    ("nd-deputi-was", "Nota Dinas Deputi",
     "ND-{seq}/{organisation}/Was/{classification}/{month}/{year}", "Was", "PR.01.01"),
    ("nd-biro-ak", "Nota Dinas Kepala Biro",
     "ND-{seq}/{organisation}/Was/BAK/{classification}/{month_roman}/{year}", "BAK", "PR.01.01"),
    ("surat-menteri", "Surat Menteri",
     "B-{seq}/M/{organisation}/{classification}/{month}/{year}", "M", "PR.01.02"),
]  # fmt: skip

# key, kind, name, register, signer role, signer position, subject, body
TEMPLATES = [
    (
        "step1-bureau-to-deputy", "memo", "Langkah 1 — Nota Dinas Kepala Biro kepada Deputi",
        "nd-biro-ak", "head_of_bureau", "{head_of_bureau_title}",
        "Penyampaian konsep nota dinas permintaan RK-PK {year}",
        "Dengan hormat, bersama ini kami sampaikan konsep nota dinas {deputy_title} "
        "kepada seluruh satuan organisasi/satuan kerja di lingkungan {organisation} "
        "mengenai permintaan dokumen Rencana Kinerja dan Penetapan Kinerja Tahun {year} "
        "({cycle}), dengan batas waktu penyampaian {deadline}.\n\n"
        "Demikian kami sampaikan, mohon perkenan Bapak/Ibu untuk menandatangani.",
    ),
    (
        "step1-call-for-submissions", "memo", "Langkah 1–2 — Permintaan RK-PK kepada seluruh unit",
        "nd-deputi-was", "deputy", "{deputy_title}",
        "Permintaan dokumen Rencana Kinerja dan Penetapan Kinerja Tahun {year}",
        "Dalam rangka penyusunan Rencana Kinerja dan Penetapan Kinerja {organisation} "
        "Tahun {year}, dengan hormat kami minta Saudara menyampaikan dokumen RK-PK unit "
        "kerja Saudara kepada {coordinating_unit} paling lambat tanggal {deadline} "
        "melalui aplikasi RK-PK.\n\n"
        "Keterlambatan penyampaian akan mengakibatkan keterlambatan penyampaian Penetapan "
        "Kinerja Kementerian kepada Menteri PAN dan berpengaruh pada penilaian kinerja "
        "Kementerian.\n\nAtas perhatian dan kerja sama Saudara, kami ucapkan terima kasih.",
    ),
    (
        "step6-meeting-invitation", "memo", "Langkah 6 — Undangan rapat pembahasan RK-PK",
        "nd-biro-ak", "head_of_bureau", "{head_of_bureau_title}",
        "Undangan rapat pembahasan RK-PK Kementerian Tahun {year}",
        "Dengan hormat, dalam rangka penyusunan Rencana Kinerja dan Penetapan Kinerja "
        "{organisation} Tahun {year}, kami mengundang Saudara untuk hadir "
        "dalam rapat pembahasan yang akan diselenggarakan pada:\n\n"
        "hari/tanggal: {date}\npukul: {time}\ntempat: {place}\n"
        "acara: {agenda}\n\n"
        "Mengingat pentingnya acara tersebut, kami mohon kehadiran Saudara tepat pada "
        "waktunya. Atas perhatian Saudara, kami ucapkan terima kasih.",
    ),
    (
        "step8-bureau-to-deputy", "memo", "Langkah 8 — Penyampaian draf RK-PK kepada Deputi",
        "nd-biro-ak", "head_of_bureau", "{head_of_bureau_title}",
        "Penyampaian draf RK-PK Kementerian Tahun {year}",
        "Dengan hormat, bersama ini kami sampaikan draf Rencana Kinerja dan Penetapan Kinerja "
        "{organisation} Tahun {year} (versi {version}) yang telah kami periksa, "
        "untuk mendapatkan pemeriksaan dan persetujuan Bapak/Ibu Deputi.\n\n"
        "Demikian kami sampaikan, mohon arahan.",
    ),
    (
        "step10-deputy-to-minister", "memo", "Langkah 10 — Penyampaian RK-PK kepada Menteri",
        "nd-deputi-was", "deputy", "{deputy_title}",
        "Penyampaian Rencana Kinerja dan Penetapan Kinerja Kementerian Tahun {year}",
        "Dengan hormat, bersama ini kami sampaikan Rencana Kinerja dan Penetapan Kinerja "
        "{organisation} Tahun {year} untuk mendapatkan persetujuan dan "
        "penandatanganan Bapak/Ibu Menteri.\n\nDemikian kami sampaikan, mohon arahan.",
    ),
    (
        "step12-binding-request", "memo", "Langkah 12 — Permintaan penjilidan kepada Biro Umum",
        "nd-biro-ak", "head_of_bureau", "{head_of_bureau_title}",
        "Permintaan penjilidan RK-PK Kementerian Tahun {year}",
        "Dengan hormat, bersama ini kami sampaikan soft copy dan hard copy Rencana Kinerja dan "
        "Penetapan Kinerja {organisation} Tahun {year} yang telah "
        "ditandatangani Menteri untuk dijilid.\n\nAtas bantuan Saudara, kami ucapkan terima kasih.",
    ),
    (
        "step13-letter-to-menpan", "letter", "Langkah 13 — Surat Menteri kepada Menteri PAN",
        "surat-menteri", "minister", "{minister_title}",
        "Penyampaian Penetapan Kinerja {organisation} Tahun {year}",
        "Dengan hormat, sesuai ketentuan mengenai penetapan kinerja instansi pemerintah, "
        "bersama ini kami sampaikan Penetapan Kinerja {organisation} Tahun "
        "{year}.\n\nAtas perhatian Saudara, kami ucapkan terima kasih.",
    ),
    (
        "step13-distribution", "memo", "Langkah 13 — Distribusi RK-PK kepada seluruh unit",
        "nd-deputi-was", "deputy", "{deputy_title}",
        "Penyampaian RK-PK {organisation} Tahun {year}",
        "Dengan hormat, bersama ini kami sampaikan Rencana Kinerja dan Penetapan Kinerja "
        "{organisation} Tahun {year} yang telah ditandatangani Menteri, untuk "
        "menjadi acuan pelaksanaan tugas unit kerja Saudara.\n\nAtas perhatian Saudara, kami "
        "ucapkan terima kasih.",
    ),
]  # fmt: skip


# Produced and signed in one act by the reviewer who approves (steps 8 and 9): no review.
SIGNED_ON_APPROVAL = {"step8-bureau-to-deputy"}


def load(register_model, template_model) -> None:
    """Create the registers and templates that are missing (by code and key); what an
    administrator changed is left as it is."""
    registers = {r.code: r for r in register_model.objects.all()}
    for code, name, pattern, unit, classification in REGISTERS:
        if code not in registers:
            registers[code] = register_model.objects.create(
                code=code, name=name, pattern=pattern, unit_code=unit, classification=classification
            )
    have = set(template_model.objects.values_list("key", flat=True))
    for key, kind, name, register, role, position, subject, body in TEMPLATES:
        if key in have:
            continue
        template_model.objects.create(
            key=key,
            kind=kind,
            name=name,
            letterhead=LETTERHEAD,
            subject=subject,
            body=body,
            signer_role=role,
            signer_position=position,
            register=registers[register],
            requires_review=key not in SIGNED_ON_APPROVAL,
        )
