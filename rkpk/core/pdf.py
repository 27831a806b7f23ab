"""HTML to PDF with WeasyPrint, the one way every document of the project becomes a PDF."""

from functools import lru_cache


@lru_cache(maxsize=1)
def no_fetch_class():
    """A WeasyPrint URL fetcher that loads nothing (made on first use: WeasyPrint loads slowly)."""
    import weasyprint

    class NoFetch(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")):
                # an inline image (the organisation's logo), nothing fetched
                return super().fetch(url, headers)
            raise ValueError(f"external resources are not loaded: {url}")

    return NoFetch


def html_to_pdf(html: str, css: str) -> bytes:
    """An A4 PDF with the system fonts; no external resource is ever loaded.

    Font configuration and fetcher are made per call: they hold state, and requests may
    run in threads.
    """
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fetcher = no_fetch_class()()
    fonts = FontConfiguration()
    stylesheet = weasyprint.CSS(string=css, font_config=fonts, url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
