"""Screenshots that can be read on paper: how large a guide's screenshot prints, and its record.

The printed facilitator guide (:mod:`separ.report.guides`) places each screenshot on A4.
Type in a screenshot is page type (13–14 CSS px), so it prints at the report's 7 pt
(:data:`separ.report.print_size.MIN_PT`) only if the capture is not shrunk too much: a
1366 px desktop squeezed into the 170 mm text width prints 13 px at 4.6 pt, a panel
880 px wide at 7.1 pt. Neither the size the page was captured at nor its smallest type can
be read back from the pixels (the captures are taken at device scale 2 for sharpness, so a
PNG's width is not its page width), so the capture writes them into the PNG it makes, as
one ``tEXt`` chunk (:data:`SHOT_KEY`, JSON). The record travels with the picture: an image
replaced by hand, or made by an older capture, has no record and the guides' test names
it, instead of a list beside the images vouching for pixels it never saw. The guide
printer reads the same bytes it embeds and sizes each image from its record
(:func:`printed_width_mm`), and the test applies the same rule (:func:`smallest_pt`).

Figures inside a page are PNGs drawn by matplotlib; their type is not page type. The views
write the figure's smallest type, in the figure's own pixels, into the figure's PNG
(:data:`FIGURE_TEXT_KEY`, see ``separ.ui.base.figure_png``), so the capture can measure it
as drawn on the page too.
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from dataclasses import asdict, dataclass

from separ.report.print_size import MIN_PT, TEXT_WIDTH_IN

SHOT_KEY = "separ:shot"
"""``tEXt`` keyword of a guide screenshot's record (:class:`ShotRecord` as JSON)."""
FIGURE_TEXT_KEY = "separ:smallest-text-px"
"""``tEXt`` keyword of a figure PNG's smallest text height, in the PNG's own pixels."""

TEXT_WIDTH_MM = TEXT_WIDTH_IN * 25.4
"""The report's text width (170 mm); :data:`MIN_PT` (7 pt) is the report's rule for figures."""
MAX_HEIGHT_MM = 120.0
"""The tallest a screenshot prints: two shots and their captions share an A4 page (the text
box is 251 mm high). A taller capture would be shrunk, and its type with it."""
CSS_PX_MM = 25.4 / 96
"""One CSS pixel in millimetres: what a capture measures at its natural size on paper."""
PT_PER_PX = 72 / 96
"""Points per CSS pixel (a 13 px text is 9.75 pt at natural size)."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ShotRecord:
    """What a guide screenshot is, written by the capture into its PNG."""

    css_width: float
    """The capture's width in CSS pixels (the PNG is ``scale`` times wider)."""
    css_height: float
    scale: float
    """Device pixels per CSS pixel at capture (2: sharp when printed)."""
    smallest_px: float
    """The smallest text in the capture, in CSS pixels as drawn (figures included)."""
    smallest_text: str = ""
    """The start of that text, to name it when it is too small."""

    def to_json(self) -> str:
        # ASCII escapes: a tEXt chunk is Latin-1, and the smallest text is often Korean
        return json.dumps(asdict(self), ensure_ascii=True, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ShotRecord:
        data = json.loads(text)
        return cls(
            css_width=float(data["css_width"]),
            css_height=float(data["css_height"]),
            scale=float(data["scale"]),
            smallest_px=float(data["smallest_px"]),
            smallest_text=str(data.get("smallest_text", "")),
        )


def printed_width_mm(css_width: float, css_height: float) -> float:
    """How wide the guide prints a capture: the text width, never past its natural size
    (a phone stays phone-sized, not blown up), never taller than :data:`MAX_HEIGHT_MM`."""
    natural = css_width * CSS_PX_MM
    return min(TEXT_WIDTH_MM, natural, MAX_HEIGHT_MM * css_width / css_height)


def smallest_pt(record: ShotRecord) -> float:
    """The capture's smallest text in points on paper, as :func:`printed_width_mm` places it."""
    shrink = printed_width_mm(record.css_width, record.css_height) / (record.css_width * CSS_PX_MM)
    return record.smallest_px * PT_PER_PX * shrink


def legible(record: ShotRecord) -> bool:
    """Whether the capture's smallest text prints at :data:`MIN_PT` or more."""
    return smallest_pt(record) >= MIN_PT


def widest_css_width(smallest_px: float) -> int:
    """The widest capture (whole CSS pixels) whose ``smallest_px`` text prints at
    :data:`MIN_PT` when it fills the text width (895 px for 13 px type, 745 px for 10.8 px)."""
    return math.floor(smallest_px * PT_PER_PX * TEXT_WIDTH_MM / CSS_PX_MM / MIN_PT)


def tallest_css_height(css_width: float) -> int:
    """The tallest capture of this width (whole CSS pixels) that prints without being
    shrunk for its height."""
    natural = css_width * CSS_PX_MM
    return math.floor(MAX_HEIGHT_MM * css_width / min(TEXT_WIDTH_MM, natural))


# -- PNG text chunks -------------------------------------------------------------------------


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of each chunk of a PNG; [] for anything that is not a PNG."""
    if data[:8] != PNG_SIGNATURE:
        return []
    found = []
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        found.append((kind, data[at + 8 : at + 8 + length]))
        at += 12 + length
        if kind == b"IEND":
            break
    return found


def png_texts(data: bytes) -> dict[str, str]:
    """A PNG's ``tEXt`` entries (keyword → text)."""
    texts = {}
    for kind, payload in _chunks(data):
        if kind == b"tEXt" and b"\0" in payload:
            key, _, value = payload.partition(b"\0")
            texts[key.decode("latin-1")] = value.decode("latin-1")
    return texts


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (its IHDR); (0, 0) for anything else."""
    for kind, payload in _chunks(data)[:1]:
        if kind == b"IHDR":
            width, height = struct.unpack(">II", payload[:8])
            return int(width), int(height)
    return 0, 0


def with_png_text(data: bytes, key: str, value: str) -> bytes:
    """``data`` with one ``tEXt`` entry ``key`` (replacing an earlier one), after the IHDR."""
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG")
    payload = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    chunk = (
        struct.pack(">I", len(payload))
        + b"tEXt"
        + payload
        + struct.pack(">I", zlib.crc32(b"tEXt" + payload))
    )
    out = bytearray(PNG_SIGNATURE)
    for kind, body in _chunks(data):
        if kind == b"tEXt" and body.partition(b"\0")[0] == key.encode("latin-1"):
            continue
        out += struct.pack(">I", len(body)) + kind + body
        out += struct.pack(">I", zlib.crc32(kind + body))
        if kind == b"IHDR":
            out += chunk
    return bytes(out)


def shot_record(data: bytes) -> ShotRecord | None:
    """The capture's record in a guide screenshot's PNG, None when it has none."""
    text = png_texts(data).get(SHOT_KEY)
    return ShotRecord.from_json(text) if text else None
