from urllib.parse import quote

from django.http import HttpResponse


def file_response(data: bytes, filename: str, content_type: str, *, download=True):
    """A file for the browser to save (or, with download=False, to show),
    under a Chinese file name that every browser reads (RFC 6266)."""
    response = HttpResponse(data, content_type=content_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(filename)}"
    )
    return response
