"""Server-side QR codes as inline SVG (segno), so no script or CDN is needed."""

import io

import segno
from django.utils.safestring import mark_safe


def qr_svg(data: str, *, title: str = "QR code of the portal link", scale: int = 5) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, omitsize=True, title=title,
    )
    # segno writes only the matrix (paths), no user-controlled markup.
    return mark_safe(buffer.getvalue().decode())  # noqa: S308


def link_printed(url: str, token: str) -> dict:
    """What a printout of the portal link shows (programme/print.html): its QR
    code, and its address to type in two parts, so that a line breaks before
    the token rather than inside it."""
    start, _, rest = url.rpartition(token)
    return {"qr_svg": qr_svg(url, scale=4), "qr_url": url, "qr_url_start": start, "qr_url_token": token + rest}
