"""Server-side QR codes as inline SVG (segno), so no script or CDN is needed."""

import io

import segno
from django.utils.safestring import mark_safe


def qr_svg(data: str) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, omitsize=True,
        title="QR code of the portal link",
    )
    # segno writes only the matrix (paths), no user-controlled markup.
    return mark_safe(buffer.getvalue().decode())  # noqa: S308
