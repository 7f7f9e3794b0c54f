"""HTML to PDF with WeasyPrint, fetching no URL.

The renderer's fetcher serves files from static/pdf/ on disk and refuses
everything else, so neither user text nor a template can make the server
reach the network or read other files.
"""

import gc
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_ASSETS = Path(settings.BASE_DIR) / "static" / "pdf"


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves our own files under static/pdf/ and nothing else."""

    def __init__(self, root: Path = PDF_ASSETS):
        super().__init__(allowed_protocols={"file"})
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"PDF rendering fetches no URL: {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"PDF rendering reads only its own assets: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
        )


# Loading the CJK fonts is the slow part of a first render; keep them loaded.
_fonts = FontConfiguration()


@contextmanager
def collector_paused():
    """Layout creates and drops a great many small objects; the collector
    traversing them again and again costs about a sixth of a render. Paused
    for the render, the garbage is collected by the next automatic pass."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> bytes:
    document = HTML(
        string=html,
        base_url=PDF_ASSETS.as_uri() + "/",
        url_fetcher=StaticOnlyFetcher(),
    )
    with collector_paused():
        return document.write_pdf(font_config=_fonts)
