"""rkpk.core.pdf: one font configuration per thread (a warm renderer that does not leak)."""

import threading

from rkpk.core import pdf


def test_one_font_configuration_per_thread_reused_by_every_document():
    first = pdf.font_configuration()
    assert pdf.font_configuration() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf.font_configuration()))
    thread.start()
    thread.join()
    assert other[0] is not first  # it holds state: never shared between threads


def test_documents_render_with_the_threads_configuration(monkeypatch):
    made = []
    real = pdf.font_configuration

    def counted():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(pdf, "font_configuration", counted)
    for text in ("Satu", "Dua"):
        assert pdf.html_to_pdf(f"<p>{text}</p>", "p { color: black }").startswith(b"%PDF-")
    assert len(made) == 2 and made[0] is made[1]
