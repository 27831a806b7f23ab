"""The demo organisation: the Sekretariat Negara around 2008 (DESIGN.md §6).

Names of people are fictional; NIPs are generated. This is configuration data for
`rkpk seed_demo`; another ministry loads its own through the import screen.
"""

# (code, name, short name, level, parent code, head position)
UNITS = [
    (
        "SETMEN",
        "Sekretariat Kementerian Sekretariat Negara",
        "Setmen",
        1,
        None,
        "Sekretaris Kementerian Sekretariat Negara",
    ),
    (
        "SETMEN.RENKEU",
        "Biro Perencanaan dan Keuangan",
        "Biro Renkeu",
        2,
        "SETMEN",
        "Kepala Biro Perencanaan dan Keuangan",
    ),
    (
        "SETMEN.SDM",
        "Biro Sumber Daya Manusia",
        "Biro SDM",
        2,
        "SETMEN",
        "Kepala Biro Sumber Daya Manusia",
    ),
    (
        "SETMEN.HUKHUM",
        "Biro Hukum dan Hubungan Masyarakat",
        "Biro Hukum dan Humas",
        2,
        "SETMEN",
        "Kepala Biro Hukum dan Hubungan Masyarakat",
    ),
    (
        "SETMEN.ORTALA",
        "Biro Organisasi dan Tata Laksana",
        "Biro Ortala",
        2,
        "SETMEN",
        "Kepala Biro Organisasi dan Tata Laksana",
    ),
    ("SETMEN.UMUM", "Biro Umum", "Biro Umum", 2, "SETMEN", "Kepala Biro Umum"),
    (
        "SETMEN.PUSDIKLAT",
        "Pusat Pendidikan dan Pelatihan",
        "Pusdiklat",
        2,
        "SETMEN",
        "Kepala Pusat Pendidikan dan Pelatihan",
    ),
    ("SETPRES", "Sekretariat Presiden", "Setpres", 1, None, "Kepala Sekretariat Presiden"),
    (
        "SETPRES.PERS",
        "Biro Pers dan Media",
        "Biro Pers dan Media",
        2,
        "SETPRES",
        "Kepala Biro Pers dan Media",
    ),
    ("SETPRES.PROTOKOL", "Biro Protokol", "Biro Protokol", 2, "SETPRES", "Kepala Biro Protokol"),
    (
        "SETPRES.RT",
        "Biro Rumah Tangga",
        "Biro Rumah Tangga",
        2,
        "SETPRES",
        "Kepala Biro Rumah Tangga",
    ),
    (
        "SETPRES.TU",
        "Biro Tata Usaha dan Administrasi Kepala Sekretariat Presiden",
        "Biro TU Setpres",
        2,
        "SETPRES",
        "Kepala Biro Tata Usaha dan Administrasi",
    ),
    ("SETWAPRES", "Sekretariat Wakil Presiden", "Setwapres", 1, None, "Sekretaris Wakil Presiden"),
    (
        "SETWAPRES.TU",
        "Biro Tata Usaha dan Sumber Daya Manusia Sekretariat Wakil Presiden",
        "Biro TU Setwapres",
        2,
        "SETWAPRES",
        "Kepala Biro Tata Usaha dan Sumber Daya Manusia",
    ),
    (
        "SETWAPRES.PROTOKOL",
        "Biro Protokol dan Rumah Tangga Sekretariat Wakil Presiden",
        "Biro Protokol Setwapres",
        2,
        "SETWAPRES",
        "Kepala Biro Protokol dan Rumah Tangga",
    ),
    (
        "SETWAPRES.PERS",
        "Biro Pers dan Informasi Sekretariat Wakil Presiden",
        "Biro Pers Setwapres",
        2,
        "SETWAPRES",
        "Kepala Biro Pers dan Informasi",
    ),
    (
        "SETMILPRES",
        "Sekretariat Militer Presiden",
        "Setmilpres",
        1,
        None,
        "Sekretaris Militer Presiden",
    ),
    (
        "SETMILPRES.TU",
        "Biro Tata Usaha Sekretariat Militer Presiden",
        "Biro TU Setmilpres",
        2,
        "SETMILPRES",
        "Kepala Biro Tata Usaha",
    ),
    (
        "SETMILPRES.KEHORMATAN",
        "Biro Tanda Kehormatan",
        "Biro Tanda Kehormatan",
        2,
        "SETMILPRES",
        "Kepala Biro Tanda Kehormatan",
    ),
    (
        "DEPHUK",
        "Deputi Bidang Hukum dan Perundang-undangan",
        "Deputi Hukum",
        1,
        None,
        "Deputi Menteri Sekretaris Negara Bidang Hukum dan Perundang-undangan",
    ),
    (
        "DEPHUK.POLHUKAM",
        "Asisten Deputi Perundang-undangan Bidang Politik, Hukum, dan Keamanan",
        "Asdep Polhukam",
        2,
        "DEPHUK",
        "Asisten Deputi Perundang-undangan Bidang Politik, Hukum, dan Keamanan",
    ),
    (
        "DEPHUK.EKONOMI",
        "Asisten Deputi Perundang-undangan Bidang Perekonomian",
        "Asdep Perekonomian",
        2,
        "DEPHUK",
        "Asisten Deputi Perundang-undangan Bidang Perekonomian",
    ),
    (
        "DEPHUK.KESRA",
        "Asisten Deputi Perundang-undangan Bidang Kesejahteraan Rakyat",
        "Asdep Kesra",
        2,
        "DEPHUK",
        "Asisten Deputi Perundang-undangan Bidang Kesejahteraan Rakyat",
    ),
    (
        "DEPHUBLEM",
        "Deputi Bidang Hubungan Kelembagaan dan Kemasyarakatan",
        "Deputi Hublem",
        1,
        None,
        "Deputi Menteri Sekretaris Negara Bidang Hubungan Kelembagaan dan Kemasyarakatan",
    ),
    (
        "DEPHUBLEM.LEMBAGA",
        "Asisten Deputi Hubungan Lembaga Negara dan Lembaga Pemerintahan",
        "Asdep Hubungan Lembaga",
        2,
        "DEPHUBLEM",
        "Asisten Deputi Hubungan Lembaga Negara dan Lembaga Pemerintahan",
    ),
    (
        "DEPHUBLEM.MASYARAKAT",
        "Asisten Deputi Hubungan Kemasyarakatan",
        "Asdep Hubungan Kemasyarakatan",
        2,
        "DEPHUBLEM",
        "Asisten Deputi Hubungan Kemasyarakatan",
    ),
    (
        "DEPHUBLEM.PENGADUAN",
        "Asisten Deputi Pengaduan Masyarakat",
        "Asdep Pengaduan",
        2,
        "DEPHUBLEM",
        "Asisten Deputi Pengaduan Masyarakat",
    ),
    (
        "DEPAPARATUR",
        "Deputi Bidang Administrasi Aparatur",
        "Deputi Aparatur",
        1,
        None,
        "Deputi Menteri Sekretaris Negara Bidang Administrasi Aparatur",
    ),
    (
        "DEPAPARATUR.PEJABAT",
        "Asisten Deputi Administrasi Pejabat Negara",
        "Asdep Pejabat Negara",
        2,
        "DEPAPARATUR",
        "Asisten Deputi Administrasi Pejabat Negara",
    ),
    (
        "DEPAPARATUR.APARATUR",
        "Asisten Deputi Administrasi Aparatur Kementerian dan Lembaga",
        "Asdep Aparatur",
        2,
        "DEPAPARATUR",
        "Asisten Deputi Administrasi Aparatur Kementerian dan Lembaga",
    ),
    (
        "DEPWAS",
        "Deputi Bidang Pengawasan",
        "Deputi Pengawasan",
        1,
        None,
        "Deputi Menteri Sekretaris Negara Bidang Pengawasan",
    ),
    (
        "DEPWAS.BAK",
        "Biro Akuntabilitas Kinerja",
        "Biro AK",
        2,
        "DEPWAS",
        "Kepala Biro Akuntabilitas Kinerja",
    ),
    (
        "DEPWAS.BAK.PSAK",
        "Bagian Pengembangan Sistem Akuntabilitas Kinerja",
        "Bagian PSAK",
        3,
        "DEPWAS.BAK",
        "Kepala Bagian Pengembangan Sistem Akuntabilitas Kinerja",
    ),
    (
        "DEPWAS.BAK.EVALUASI",
        "Bagian Evaluasi Kinerja",
        "Bagian Evaluasi",
        3,
        "DEPWAS.BAK",
        "Kepala Bagian Evaluasi Kinerja",
    ),
    (
        "DEPWAS.KEUANGAN",
        "Biro Pengawasan Keuangan",
        "Biro Waskeu",
        2,
        "DEPWAS",
        "Kepala Biro Pengawasan Keuangan",
    ),
    (
        "DEPWAS.SDM",
        "Biro Pengawasan Sumber Daya Manusia dan Kinerja",
        "Biro Was SDM",
        2,
        "DEPWAS",
        "Kepala Biro Pengawasan Sumber Daya Manusia dan Kinerja",
    ),
]

# Fictional heads, one per unit in the order above.
HEAD_NAMES = [
    "Dr. Bambang Sutrisno, M.Si.",
    "Sri Wahyuni, S.E., M.M.",
    "Drs. Agus Salim, M.A.",
    "Dewi Lestari, S.H., M.H.",
    "Ir. Hendra Gunawan, M.T.",
    "Rudi Hartono, S.Sos.",
    "Dr. Retno Kusumawati",
    "Drs. Joko Santoso, M.Si.",
    "Nurul Hidayati, S.Sos., M.Si.",
    "Bayu Prasetyo, S.IP.",
    "Siti Aminah, S.E.",
    "Drs. Yusuf Maulana",
    "Dr. Ir. Taufik Rahman",
    "Endang Suryani, S.H.",
    "Arif Budiman, S.IP., M.A.",
    "Wulan Sari, S.Sos.",
    "Marsekal Pertama TNI Heru Susanto",
    "Kolonel Inf. Slamet Riyadi",
    "Kolonel Laut Eko Nugroho",
    "Prof. Dr. Ahmad Fauzi, S.H.",
    "Lina Marlina, S.H., M.H.",
    "Dedi Kurniawan, S.H., LL.M.",
    "Ratna Dewi, S.H.",
    "Drs. Irfan Hakim, M.Si.",
    "Yanti Susilawati, S.Sos.",
    "Fajar Nugraha, S.IP.",
    "Maria Ulfa, S.Sos.",
    "Dr. Sugeng Riyanto, M.P.A.",
    "Hadi Purnomo, S.H.",
    "Indah Permatasari, S.E., M.Si.",
    "Dr. Haryono Wibisono, Ak.",
    "Drs. Suryadi, M.M.",
    "Rina Anggraini, S.E., M.Ak.",
    "Teguh Santosa, S.E.",
    "Ir. Widodo Saputra, M.M.",
    "Kartika Sari, S.Psi., M.M.",
]

RANK_BY_LEVEL = {
    1: "Pembina Utama (IV/e)",
    2: "Pembina Utama Muda (IV/c)",
    3: "Pembina (IV/a)",
    4: "Penata Tingkat I (III/d)",
}

# A state official (pejabat negara): no NIP, none printed on the PK.
MINISTER = {
    "name": "Prof. Dr. Hatta Pradipta",
    "nip": None,
    "position": "Menteri Sekretaris Negara",
    "rank": "",
}
MINISTER_OLD_NIP = "195801011983031001"  # what demo databases before issue 12 stored

# Staff of the bureau who hold accounts (not unit heads).
EXTRA_OFFICIALS = [
    {
        "name": "Andi Setiawan, S.E.",
        "nip": "198705122010121002",
        "position": "Analis Akuntabilitas Kinerja",
        "rank": "Penata (III/c)",
        "unit": "DEPWAS.BAK.PSAK",
    },
    {
        "name": "Putri Handayani, S.Kom.",
        "nip": "199003042014022001",
        "position": "Pengelola Data Perencanaan",
        "rank": "Penata Muda Tingkat I (III/b)",
        "unit": "SETMEN.RENKEU",
    },
    {
        "name": "Rizky Ramadhan, S.Sos.",
        "nip": "199108172015031003",
        "position": "Pengelola Program dan Anggaran",
        "rank": "Penata Muda Tingkat I (III/b)",
        "unit": "SETPRES.PROTOKOL",
    },
]

# username -> (first name, last name, [(role, unit code or None)], official: unit code whose
# head the user is, "minister", or an EXTRA_OFFICIALS nip)
DEMO_USERS = {
    "admin": ("Admin", "Sistem", [("admin", None)], None),
    "staf": ("Andi", "Setiawan", [("staff", None)], "198705122010121002"),
    "kabag": ("Kepala Bagian", "PSAK", [("head_of_section", None)], "DEPWAS.BAK.PSAK"),
    "karo": ("Kepala Biro", "Akuntabilitas Kinerja", [("head_of_bureau", None)], "DEPWAS.BAK"),
    "deputi": ("Deputi", "Bidang Pengawasan", [("deputy", None)], "DEPWAS"),
    "menteri": ("Menteri", "Sekretaris Negara", [("minister", None)], "minister"),
    "biroumum": ("Biro", "Umum", [("general_bureau", None)], "SETMEN.UMUM"),
    "operator1": ("Putri", "Handayani", [("unit_operator", "SETMEN.RENKEU")], "199003042014022001"),
    "operator2": (
        "Rizky",
        "Ramadhan",
        [("unit_operator", "SETPRES.PROTOKOL")],
        "199108172015031003",
    ),
    "kaunit1": (
        "Kepala Biro",
        "Perencanaan dan Keuangan",
        [("unit_head", "SETMEN.RENKEU")],
        "SETMEN.RENKEU",
    ),
    "pengawas": ("Inspektorat", "Pemantau", [("viewer", None)], None),
}


# The sex hint of the demo names: the women among them (everyone else is a man). The 15th
# digit of a NIP is the civil servant's sex (1 man, 2 woman); it must agree with the name.
WOMEN = frozenset(
    {
        "Sri Wahyuni, S.E., M.M.",
        "Dewi Lestari, S.H., M.H.",
        "Dr. Retno Kusumawati",
        "Nurul Hidayati, S.Sos., M.Si.",
        "Siti Aminah, S.E.",
        "Endang Suryani, S.H.",
        "Wulan Sari, S.Sos.",
        "Lina Marlina, S.H., M.H.",
        "Ratna Dewi, S.H.",
        "Yanti Susilawati, S.Sos.",
        "Maria Ulfa, S.Sos.",
        "Indah Permatasari, S.E., M.Si.",
        "Rina Anggraini, S.E., M.Ak.",
        "Kartika Sari, S.Psi., M.M.",
        "Putri Handayani, S.Kom.",
    }
)


def sex_digit(name: str) -> int:
    """The NIP's sex digit of a demo official: 2 for a woman, 1 for a man."""
    return 2 if name in WOMEN else 1


def head_nip(index: int, level: int, name: str) -> str:
    """A well-formed, fictional 18-digit NIP: birth date, appointment month, sex (from the
    official's name), sequence."""
    birth_year = 1962 + (index * 7) % 20
    birth = f"{birth_year}{(index % 12) + 1:02d}{(index * 3) % 27 + 1:02d}"
    appointed = f"{birth_year + 24 + level}{(index * 5) % 12 + 1:02d}"
    return f"{birth}{appointed}{sex_digit(name)}{index % 1000:03d}"
