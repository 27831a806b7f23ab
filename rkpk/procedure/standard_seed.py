"""The seed's procedure (the service standard of the coordinating bureau, DESIGN.md §3).

Loaded as version 1 of the service standard by a data migration; afterwards it is
data that an admin edits as new versions. The roles are named by their generic titles
(Menteri, Deputi, Kepala Biro): the organisation's own titles are in its profile.
"""

STANDARD_NAME = (
    "Standar Pelayanan Pengkoordinasian Penyusunan Rencana Kinerja dan Penetapan Kinerja"
)

STEPS = [
    {
        "title_id": "Menyiapkan memorandum Kepala Biro dan memorandum Deputi",
        "title_en": "Prepare the Head of Bureau's memo to the Deputy and the Deputy's "
        "call-for-submissions memo; the Deputy signs",
        "standard_days": 2,
        "responsible_roles": ["staff", "head_of_bureau", "deputy"],
        "activities": [
            "Menyusun konsep memorandum",
            "Menyampaikan memorandum kepada Deputi",
            "Penandatanganan memorandum oleh Deputi",
        ],
        "done_when": "Memorandum Deputi telah ditandatangani",
    },
    {
        "title_id": "Menyampaikan memorandum Deputi kepada seluruh satuan organisasi/satuan kerja",
        "title_en": "Register, number and dispatch the Deputy's memo to every unit",
        "standard_days": 1,
        "responsible_roles": ["staff"],
        "activities": [
            "Mengagendakan",
            "Memberikan nomor memorandum",
            "Mengirimkan memorandum oleh caraka ke seluruh satuan organisasi/satuan kerja",
        ],
        "done_when": "Setiap unit telah menerima memorandum (tanda terima tercatat)",
    },
    {
        "title_id": "Monitoring kelengkapan dokumen RK-PK",
        "title_en": "Monitor completeness and accuracy of the units' RK-PK; contact late "
        "units; clarifications",
        "standard_days": 15,
        "responsible_roles": ["staff"],
        "activities": [
            "Melaksanakan pengecekan kelengkapan dan keakuratan data/dokumen",
            "Menghubungi satuan organisasi/satuan kerja yang belum menyampaikan kelengkapan "
            "dokumen dan masih diperlukan klarifikasi",
        ],
        "done_when": "RK-PK setiap unit diterima, atau monitoring ditutup dengan unit yang "
        "terlambat tercatat",
    },
    {
        "title_id": "Mengolah dokumen RK-PK",
        "title_en": "Process the RK-PK: receive, check form conformity, enter, compile",
        "standard_days": 10,
        "responsible_roles": ["staff"],
        "activities": [
            "Menerima dokumen RK-PK",
            "Meneliti kesesuaian formulir RK-PK",
            "Menginput dokumen RK-PK",
            "Mengkompilasi dokumen RK-PK",
        ],
        "done_when": "Data konsolidasi telah dikompilasi",
    },
    {
        "title_id": "Melakukan analisis terhadap dokumen RK untuk dikategorikan ke dalam "
        "sasaran stratejik",
        "title_en": "Analyse the RK against the strategic goals; draft; the Head of "
        "Bureau reviews; refine",
        "standard_days": 10,
        "responsible_roles": ["staff", "head_of_bureau"],
        "activities": [
            "Melaksanakan analisis awal atas dokumen RK",
            "Menyampaikan draf analisis kepada Kepala Biro",
            "Memeriksa draf analisis oleh Kepala Biro",
            "Menyempurnakan draf analisis sesuai hasil pemeriksaan Kepala Biro",
        ],
        "done_when": "Analisis disetujui Kepala Biro",
    },
    {
        "title_id": "Membahas penyusunan RK-PK",
        "title_en": "Discussion meeting chaired by the Head of Bureau; notes; meeting report",
        "standard_days": 4,
        "responsible_roles": ["head_of_bureau", "staff"],
        "activities": [
            "Menyiapkan dokumen RK-PK",
            "Melaksanakan rapat pembahasan yang dipimpin oleh Kepala Biro",
            "Mencatat hal-hal penting berkaitan dengan penyusunan RK-PK",
            "Menyusun laporan hasil pembahasan RK-PK",
        ],
        "done_when": "Laporan hasil pembahasan telah disusun",
    },
    {
        "title_id": "Menyusun draf RK-PK",
        "title_en": "Draft the ministry RK-PK",
        "standard_days": 3,
        "responsible_roles": ["head_of_section", "staff"],
        "activities": [
            "Mengumpulkan data/dokumen terkait",
            "Menyusun draf RK-PK oleh Bagian Pengembangan Sistem Akuntabilitas Kinerja",
        ],
        "done_when": "Draf pertama tersedia",
    },
    {
        "title_id": "Memeriksa draf RK-PK oleh Kepala Biro",
        "title_en": "The Head of Bureau reviews the draft; the section revises; memo to the Deputy",
        "standard_days": 2,
        "responsible_roles": ["head_of_bureau", "head_of_section"],
        "activities": [
            "Bagian menyampaikan draf RK-PK kepada Kepala Biro",
            "Kepala Biro memeriksa draf RK-PK",
            "Bagian menyempurnakan draf dan menyiapkan memorandum kepada Deputi",
        ],
        "done_when": "Disetujui dan disampaikan kepada Deputi",
    },
    {
        "title_id": "Memeriksa draf RK-PK oleh Deputi",
        "title_en": "The Deputy reviews; the Head of Bureau steers revisions; the Deputy approves",
        "standard_days": 2,
        "responsible_roles": ["deputy", "head_of_bureau"],
        "activities": [
            "Deputi memeriksa draf RK-PK",
            "Kepala Biro mengendalikan penyempurnaan sesuai arahan Deputi",
            "Persetujuan Deputi",
        ],
        "done_when": "Disetujui Deputi",
    },
    {
        "title_id": "Menyampaikan RK-PK kepada Menteri",
        "title_en": "Register, number and send the Deputy's memo with the RK-PK to the Minister",
        "standard_days": 1,
        "responsible_roles": ["staff"],
        "activities": [
            "Mengagendakan memorandum Deputi",
            "Memberi nomor memorandum Deputi",
            "Mengirimkan memorandum dan RK-PK oleh caraka ke Menteri",
        ],
        "done_when": "Diterima oleh Menteri",
    },
    {
        "title_id": "Persetujuan dan penandatanganan RK-PK oleh Menteri",
        "title_en": "The Minister approves and signs",
        "standard_days": None,
        "responsible_roles": ["minister"],
        "activities": ["Persetujuan dan penandatanganan RK-PK oleh Menteri"],
        "done_when": "Ditandatangani",
    },
    {
        "title_id": "Memorandum Kepala Biro kepada Kepala Biro Umum mengenai permintaan "
        "penjilidan RK-PK",
        "title_en": "The Head of Bureau's memo to Biro Umum requesting binding, soft and hard "
        "copy attached",
        "standard_days": 1,
        "responsible_roles": ["head_of_bureau", "staff"],
        "activities": [
            "Menyusun memorandum permintaan penjilidan dengan melampirkan soft copy dan hard copy",
            "Mengirimkan memorandum kepada Kepala Biro Umum",
        ],
        "done_when": "Memorandum diterima (Biro Umum mengonfirmasi penjilidan)",
    },
    {
        "title_id": "Menyampaikan PK kepada Menteri PAN dan mendistribusikan RK-PK kepada "
        "seluruh satuan organisasi/satuan kerja",
        "title_en": "The Minister's letter to Kementerian PAN with the PK; the Deputy's memo to "
        "every unit with the RK-PK; sign; dispatch",
        "standard_days": 1,
        "responsible_roles": ["staff", "minister", "deputy"],
        "activities": [
            "Menyiapkan konsep surat Menteri kepada Menteri PAN dan konsep memorandum Deputi "
            "kepada seluruh unit",
            "Menyampaikan konsep surat Menteri kepada Menteri PAN",
            "Penandatanganan surat Menteri kepada Menteri PAN",
            "Mengirimkan surat dan memorandum oleh caraka",
        ],
        "done_when": "Keduanya telah dikirim",
    },
]


def load_seed_standard(service_standard_model, standard_step_model):
    """Create version 1 from STEPS when no standard exists (migration and test fixtures)."""
    if service_standard_model.objects.exists():
        return
    standard = service_standard_model.objects.create(
        version=1, name=STANDARD_NAME, notes="Standar pelayanan awal."
    )
    standard_step_model.objects.bulk_create(
        standard_step_model(standard=standard, number=index, **step)
        for index, step in enumerate(STEPS, start=1)
    )
