"""QR codes as inline SVG (segno): the card page's code that the register's scanner reads."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str) -> SafeString:
    """A full QR code (never a Micro QR, which phone cameras and many scanners cannot read) of
    `text`, as an <svg> with a viewBox and no size or style of its own, so CSS sizes it."""
    code = segno.make_qr(text, error="m")
    svg = code.svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
        title=title,
        dark="#000",
        light="#fff",  # a white quiet zone, whatever the page's colours
    )
    # segno escapes the title and writes only its own markup: safe to place in the page.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
