"""The second demo organisation: a fictional ministry, "Kementerian Contoh Kelautan dan
Pesisir". EXAMPLE DATA, plausible but not any real ministry, people or NIPs.

It is structured unlike the first demo, to keep the code honest about what varies between
organisations:

- an Inspektorat Jenderal (Eselon I, no parent) and a Pusat (Eselon II) placed directly
  under the minister, whose PK's second party is the minister;
- a minister who is a pejabat negara without NIP;
- one official heading two units: the Biro SDM dan Organisasi definitively and, as Plt.,
  the Biro Umum dan Pengadaan (vacant);
- the coordinating bureau (Biro Perencanaan dan Kerja Sama) sits under the Sekretariat
  Jenderal, its evaluation section is an Eselon III unit;
- Eselon I plans that roll up their units' plans (see `rkpk.plans.demo_kelautan`).
"""

from rkpk.organisation.demo_nip import DemoNip

PROFILE = {
    "name": "Kementerian Contoh Kelautan dan Pesisir",
    "short_name": "KCKP (contoh)",
    "minister_title": "Menteri Contoh Kelautan dan Pesisir",
    "deputy_title": "Sekretaris Jenderal Kementerian Contoh Kelautan dan Pesisir",
    "head_of_bureau_title": "Kepala Biro Perencanaan dan Kerja Sama",
    "head_of_section_title": "Kepala Bagian Evaluasi dan Pelaporan Kinerja",
    "general_bureau_title": "Biro Umum dan Pengadaan",
    "pk_second_party_title": "Presiden Republik Indonesia",
    "pk_second_party_name": "",
    "pk_second_party_has_nip": False,
    "pk_second_party_nip": "",
    "coordinating_unit": "SEKJEN.RENKER",
    "address": "Gedung Mina Bahari Contoh, Jalan Pesisir Raya No. 16\nJakarta Utara 14430",
    "signing_city": "Jakarta",
}

# (code, name, short name, level, parent code or None, head position)
UNITS = [
    ("SEKJEN", "Sekretariat Jenderal", "Setjen", 1, None, "Sekretaris Jenderal"),
    (
        "SEKJEN.RENKER",
        "Biro Perencanaan dan Kerja Sama",
        "Biro Renker",
        2,
        "SEKJEN",
        "Kepala Biro Perencanaan dan Kerja Sama",
    ),
    (
        "SEKJEN.RENKER.EVKIN",
        "Bagian Evaluasi dan Pelaporan Kinerja",
        "Bagian Evkin",
        3,
        "SEKJEN.RENKER",
        "Kepala Bagian Evaluasi dan Pelaporan Kinerja",
    ),
    (
        "SEKJEN.KEU",
        "Biro Keuangan dan Barang Milik Negara",
        "Biro Keuangan dan BMN",
        2,
        "SEKJEN",
        "Kepala Biro Keuangan dan Barang Milik Negara",
    ),
    (
        "SEKJEN.SDMO",
        "Biro Sumber Daya Manusia dan Organisasi",
        "Biro SDM dan Organisasi",
        2,
        "SEKJEN",
        "Kepala Biro Sumber Daya Manusia dan Organisasi",
    ),
    (
        "SEKJEN.UMUM",
        "Biro Umum dan Pengadaan",
        "Biro Umum",
        2,
        "SEKJEN",
        "Kepala Biro Umum dan Pengadaan",
    ),
    (
        "SEKJEN.HUMAS",
        "Biro Hukum dan Hubungan Masyarakat",
        "Biro Hukum dan Humas",
        2,
        "SEKJEN",
        "Kepala Biro Hukum dan Hubungan Masyarakat",
    ),
    ("ITJEN", "Inspektorat Jenderal", "Itjen", 1, None, "Inspektur Jenderal"),
    ("ITJEN.IR1", "Inspektorat I", "Inspektorat I", 2, "ITJEN", "Inspektur I"),
    ("ITJEN.IR2", "Inspektorat II", "Inspektorat II", 2, "ITJEN", "Inspektur II"),
    (
        "DJPRL",
        "Direktorat Jenderal Pengelolaan Ruang Laut",
        "Ditjen PRL",
        1,
        None,
        "Direktur Jenderal Pengelolaan Ruang Laut",
    ),
    (
        "DJPRL.SES",
        "Sekretariat Direktorat Jenderal Pengelolaan Ruang Laut",
        "Setditjen PRL",
        2,
        "DJPRL",
        "Sekretaris Direktorat Jenderal Pengelolaan Ruang Laut",
    ),
    (
        "DJPRL.KONSERVASI",
        "Direktorat Konservasi Ekosistem Pesisir",
        "Dit. Konservasi",
        2,
        "DJPRL",
        "Direktur Konservasi Ekosistem Pesisir",
    ),
    (
        "DJPRL.PULAU",
        "Direktorat Pendayagunaan Pulau-Pulau Kecil",
        "Dit. Pulau-Pulau Kecil",
        2,
        "DJPRL",
        "Direktur Pendayagunaan Pulau-Pulau Kecil",
    ),
    (
        "DJPT",
        "Direktorat Jenderal Perikanan Tangkap",
        "Ditjen PT",
        1,
        None,
        "Direktur Jenderal Perikanan Tangkap",
    ),
    (
        "DJPT.SES",
        "Sekretariat Direktorat Jenderal Perikanan Tangkap",
        "Setditjen PT",
        2,
        "DJPT",
        "Sekretaris Direktorat Jenderal Perikanan Tangkap",
    ),
    (
        "DJPT.KAPAL",
        "Direktorat Kapal Perikanan dan Alat Penangkapan Ikan",
        "Dit. Kapal dan API",
        2,
        "DJPT",
        "Direktur Kapal Perikanan dan Alat Penangkapan Ikan",
    ),
    (
        "DJPT.PELABUHAN",
        "Direktorat Pelabuhan Perikanan",
        "Dit. Pelabuhan",
        2,
        "DJPT",
        "Direktur Pelabuhan Perikanan",
    ),
    (
        "BRSDM",
        "Badan Riset dan Sumber Daya Manusia Kelautan dan Pesisir",
        "BRSDM",
        1,
        None,
        "Kepala Badan Riset dan Sumber Daya Manusia Kelautan dan Pesisir",
    ),
    (
        "BRSDM.SES",
        "Sekretariat Badan Riset dan Sumber Daya Manusia",
        "Setban BRSDM",
        2,
        "BRSDM",
        "Sekretaris Badan Riset dan Sumber Daya Manusia",
    ),
    (
        "BRSDM.RISET",
        "Pusat Riset Kelautan dan Pesisir",
        "Pusriset",
        2,
        "BRSDM",
        "Kepala Pusat Riset Kelautan dan Pesisir",
    ),
    (
        "BRSDM.DIKLAT",
        "Pusat Pendidikan dan Pelatihan Kelautan",
        "Pusdiklat",
        2,
        "BRSDM",
        "Kepala Pusat Pendidikan dan Pelatihan Kelautan",
    ),
    # An Eselon II unit reporting to the minister directly: no parent.
    (
        "PUSDATIN",
        "Pusat Data, Statistik, dan Informasi",
        "Pusdatin",
        2,
        None,
        "Kepala Pusat Data, Statistik, dan Informasi",
    ),
]

RANK_BY_LEVEL = {
    1: "Pembina Utama (IV/e)",
    2: "Pembina Utama Muda (IV/c)",
    3: "Pembina (IV/a)",
}

# The definitive heads (fictional people), by unit. The Biro Umum dan Pengadaan has none:
# the head of the Biro SDM dan Organisasi acts for it (ACTING below).
HEADS = {
    "SEKJEN": "Dr. Ir. Laksmi Paramitha, M.Sc.",
    "SEKJEN.RENKER": "Yoga Aditama, S.T., M.P.P.",
    "SEKJEN.RENKER.EVKIN": "Nadia Khairunnisa, S.E., M.Ak.",
    "SEKJEN.KEU": "Bonifasius Manurung, S.E., Ak.",
    "SEKJEN.SDMO": "Drs. Gede Wirawan, M.Si.",
    "SEKJEN.HUMAS": "Maya Anggun Sari, S.H., M.H.",
    "ITJEN": "Dr. Hasanuddin Rasyid, Ak., CA.",
    "ITJEN.IR1": "Ir. Theresia Lumban Gaol, M.M.",
    "ITJEN.IR2": "Andika Prasetya, S.E., M.Acc.",
    "DJPRL": "Dr. Ir. Samudra Wicaksono, M.Sc.",
    "DJPRL.SES": "Ratih Kumalasari, S.Pi., M.Si.",
    "DJPRL.KONSERVASI": "Dr. Made Suarjana, S.Kel.",
    "DJPRL.PULAU": "La Ode Rahmat, S.Pi., M.T.",
    "DJPT": "Ir. Benny Tuasikal, M.Sc.",
    "DJPT.SES": "Siti Rohmah, S.E., M.M.",
    "DJPT.KAPAL": "Capt. Frans Wattimena, M.Mar.",
    "DJPT.PELABUHAN": "Ir. Hendrik Pattiasina, M.T.",
    "BRSDM": "Prof. Dr. Intan Purnamasari, M.Sc.",
    "BRSDM.SES": "Agung Setiabudi, S.Sos., M.A.P.",
    "BRSDM.RISET": "Dr. Yohanes Lamahoda, M.Si.",
    "BRSDM.DIKLAT": "Dr. Rosmawati Siregar, M.Pd.",
    "PUSDATIN": "Fikri Maulana, S.Kom., M.T.I.",
}

# The minister: a pejabat negara, who has no NIP.
MINISTER = {
    "name": "Dr. Arunika Samudra Wibawa",
    "position": "Menteri Contoh Kelautan dan Pesisir",
    "rank": "",
}

# (official: the unit whose definitive head acts, unit acted for, kind, from (month, day) of
# the previous year, until: None for "until further notice")
ACTING = [("SEKJEN.SDMO", "SEKJEN.UMUM", "Plt", (7, 1), None)]

# Staff holding accounts (not unit heads): key -> fields.
STAFF = {
    "analis": {
        "name": "Dimas Arya Pratama, S.E.",
        "position": "Analis Kebijakan Ahli Muda",
        "rank": "Penata (III/c)",
        "unit": "SEKJEN.RENKER.EVKIN",
    },
    "pelabuhan": {
        "name": "Wahyu Lestari Ningsih, S.Pi.",
        "position": "Perencana Ahli Pertama",
        "rank": "Penata Muda Tingkat I (III/b)",
        "unit": "DJPT.PELABUHAN",
    },
    "pusdatin": {
        "name": "Reza Firmansyah, S.Kom.",
        "position": "Pranata Komputer Ahli Pertama",
        "rank": "Penata Muda Tingkat I (III/b)",
        "unit": "PUSDATIN",
    },
}

# The same demo accounts as the first demo, on this organisation's posts.
# username -> (first name, last name, [(role, unit code or None)], official: a unit code
# (its definitive head), "minister", a STAFF key, or None)
DEMO_USERS = {
    "admin": ("Admin", "Sistem", [("admin", None)], None),
    "staf": ("Dimas", "Pratama", [("staff", None)], "analis"),
    "kabag": (
        "Kepala Bagian",
        "Evaluasi Kinerja",
        [("head_of_section", None)],
        "SEKJEN.RENKER.EVKIN",
    ),
    "karo": ("Kepala Biro", "Perencanaan", [("head_of_bureau", None)], "SEKJEN.RENKER"),
    "deputi": ("Sekretaris", "Jenderal", [("deputy", None)], "SEKJEN"),
    "menteri": ("Menteri", "Kelautan dan Pesisir", [("minister", None)], "minister"),
    # The Biro Umum dan Pengadaan's account is used by its Plt.
    "biroumum": ("Plt. Kepala Biro", "Umum", [("general_bureau", None)], "SEKJEN.SDMO"),
    "operator1": ("Wahyu", "Ningsih", [("unit_operator", "DJPT.PELABUHAN")], "pelabuhan"),
    "operator2": ("Reza", "Firmansyah", [("unit_operator", "PUSDATIN")], "pusdatin"),
    "kaunit1": (
        "Direktur",
        "Pelabuhan Perikanan",
        [("unit_head", "DJPT.PELABUHAN")],
        "DJPT.PELABUHAN",
    ),
    "pengawas": ("Pemantau", "Inspektorat", [("viewer", None)], None),
}


# The sex hint of the demo names: the women among them (everyone else is a man). The 15th
# digit of a NIP is the civil servant's sex (1 man, 2 woman); it must agree with the name.
WOMEN = frozenset(
    {
        "Dr. Ir. Laksmi Paramitha, M.Sc.",
        "Nadia Khairunnisa, S.E., M.Ak.",
        "Maya Anggun Sari, S.H., M.H.",
        "Ir. Theresia Lumban Gaol, M.M.",
        "Ratih Kumalasari, S.Pi., M.Si.",
        "Siti Rohmah, S.E., M.M.",
        "Prof. Dr. Intan Purnamasari, M.Sc.",
        "Dr. Rosmawati Siregar, M.Pd.",
        "Wahyu Lestari Ningsih, S.Pi.",
    }
)


nip = DemoNip(
    women=WOMEN,
    first_birth_year=1965,
    birth_year_step=5,
    birth_years=18,
    birth_month_step=7,
    birth_day_step=11,
    birth_days=28,
    appointed_at=23,
    appointed_month_step=3,
    first_sequence=500,
)
