"""The first questionnaire of the satisfaction survey, loaded by a data migration.

The nine elements (unsur) and the example questionnaire of PermenPAN-RB 14/2017 (Pedoman
Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik), worded for
this service. It is data an administrator edits afterwards (a new version once a survey
has used it); the texts are Indonesian, the UI around them is translated.
"""

TITLE = "Survei Kepuasan Masyarakat — Layanan Koordinasi RK-PK"
INTRODUCTION = (
    "Dalam rangka meningkatkan kualitas layanan koordinasi penyusunan Rencana Kinerja dan "
    "Penetapan Kinerja (RK-PK), Biro Akuntabilitas Kinerja mohon kesediaan Saudara mengisi "
    "survei kepuasan ini atas nama unit kerja Saudara. Pilih satu jawaban untuk setiap "
    "pertanyaan. Jawaban Saudara hanya digunakan untuk perbaikan layanan."
)

# code, element name, question, labels of scores 1, 2, 3, 4
ELEMENTS = [
    ("U1", "Persyaratan",
     "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
     "pelayanannya?",
     "Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ("U2", "Sistem, Mekanisme, dan Prosedur",
     "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan penyampaian RK-PK?",
     "Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ("U3", "Waktu Penyelesaian",
     "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
     "Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ("U4", "Biaya/Tarif",
     "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
     "Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan",
     "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
     "dalam standar pelayanan dengan hasil yang diberikan?",
     "Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ("U6", "Kompetensi Pelaksana",
     "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
     "Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ("U7", "Perilaku Pelaksana",
     "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
     "dan keramahan?",
     "Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
     "Sangat sopan dan ramah"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan",
     "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan pengguna "
     "layanan?",
     "Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
     "Dikelola dengan baik"),
    ("U9", "Sarana dan Prasarana",
     "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana pelayanan, termasuk "
     "aplikasi RK-PK?",
     "Buruk", "Cukup", "Baik", "Sangat baik"),
]  # fmt: skip


def load(questionnaire_model, element_model):
    """Create version 1 when there is no questionnaire at all; otherwise change nothing.
    Returns the questionnaire created, or None."""
    if questionnaire_model.objects.exists():
        return None
    questionnaire = questionnaire_model.objects.create(
        version=1, title=TITLE, introduction=INTRODUCTION
    )
    element_model.objects.bulk_create(
        element_model(
            questionnaire=questionnaire,
            code=code,
            name=name,
            question=question,
            option_1=o1,
            option_2=o2,
            option_3=o3,
            option_4=o4,
        )
        for code, name, question, o1, o2, o3, o4 in ELEMENTS
    )
    return questionnaire
