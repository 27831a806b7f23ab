"""21 example strategic goals (sasaran stratejik). The real ones are not public:
these are plausible EXAMPLE DATA, marked as such wherever they are shown."""

PERIOD = ("Renstra 2025–2029 (contoh)", 2025, 2029)

GOALS = [
    "Meningkatnya kualitas dukungan teknis dan administrasi kepada Presiden",
    "Meningkatnya kualitas dukungan teknis dan administrasi kepada Wakil Presiden",
    "Meningkatnya kualitas penyiapan rancangan peraturan perundang-undangan",
    "Terselesaikannya persetujuan prakarsa dan penetapan peraturan tepat waktu",
    "Meningkatnya kualitas hubungan dengan lembaga negara dan lembaga pemerintahan",
    "Meningkatnya penanganan pengaduan masyarakat secara tuntas dan tepat waktu",
    "Meningkatnya kualitas administrasi pejabat negara",
    "Meningkatnya kualitas pelayanan administrasi aparatur kementerian dan lembaga",
    "Meningkatnya kualitas pelayanan protokol dan keprotokolan kenegaraan",
    "Meningkatnya kualitas informasi dan pemberitaan kegiatan Presiden dan Wakil Presiden",
    "Meningkatnya kualitas pelayanan rumah tangga kepresidenan",
    "Meningkatnya kualitas pelayanan tanda kehormatan negara",
    "Terwujudnya perencanaan program dan anggaran yang berbasis kinerja",
    "Terwujudnya pengelolaan keuangan yang akuntabel dengan opini WTP",
    "Meningkatnya kompetensi dan profesionalisme sumber daya manusia aparatur",
    "Terwujudnya organisasi dan tata laksana yang efektif dan efisien",
    "Meningkatnya kualitas sistem akuntabilitas kinerja instansi pemerintah",
    "Meningkatnya efektivitas pengawasan intern",
    "Meningkatnya kualitas pengelolaan sarana, prasarana, dan barang milik negara",
    "Meningkatnya pemanfaatan teknologi informasi dalam pelayanan dan administrasi",
    "Meningkatnya kualitas pelayanan hukum dan kehumasan",
]
