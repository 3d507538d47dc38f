"""Korean fonts embedded in the PDF as TrueType subsets.

Chromium's PDF writer (Skia) embeds TrueType fonts as CID fonts but writes
CFF-flavoured OpenType -- which is what Noto CJK, the Korean fonts of most Linux
systems, are -- as Type 3 glyph drawings: still text, but nameless, unhinted and shunned
by print shops. So for print the report's own characters are cut out of the installed
Noto Serif/Sans CJK KR (fontTools subset), their outlines converted to TrueType
quadratics (cu2qu), and handed to Chromium as ``@font-face`` data URLs. A face that
cannot be found is simply skipped: Chromium then uses the installed font as before.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable


@dataclass(frozen=True)
class Face:
    css_family: str
    """The family name report.css asks for first."""
    family: str
    """The installed font it is cut from."""
    bold: bool


FACES = (
    Face("separ-serif", "Noto Serif CJK KR", False),
    Face("separ-sans", "Noto Sans CJK KR", False),
    Face("separ-sans", "Noto Sans CJK KR", True),
    Face("separ-serif", "Noto Serif CJK KR", True),
)
"""In the order they are cut: body text, tables and headings first; bold serif (which a
report rarely uses) last, when the layout print has perhaps told that it is not needed."""

SYSTEM_FALLBACKS = {
    "Noto Serif CJK KR": ("Batang", "AppleMyungjo"),
    "Noto Sans CJK KR": ("Malgun Gothic", "Apple SD Gothic Neo", "AppleGothic"),
}
"""Korean fonts Windows (Batang, Malgun Gothic) and macOS ship, for laptops without Noto CJK."""

ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "·…–—‘’“”〈〉「」『』《》[]○●□■※→•~"
"""Latin, digits (page numbers) and the punctuation the report's own labels use."""


@lru_cache(maxsize=16)
def locate(family: str, bold: bool) -> tuple[str, int] | None:
    """(file, face index) of an installed font, asked of fontconfig; None if absent.

    Windows and macOS have no fontconfig: there matplotlib's font list (which reads the
    system's font folders) is asked instead.
    """
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return _locate_without_fontconfig(family, bold)
    style = "Bold" if bold else "Regular"
    result = subprocess.run(
        [fc_match, "-f", "%{family}\t%{style}\t%{file}\t%{index}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    parts = result.stdout.split("\t")
    if result.returncode or len(parts) != 4:
        return None
    families, styles, path, index = parts
    if family not in families.split(",") or style not in styles.split(","):
        return None
    return path, int(index or 0)


def truetype_subset(path: str, index: int, chars: str) -> bytes:
    """The glyphs for ``chars`` from the font at ``path`` as a TrueType (glyf) font.

    The font is read lazily (a Noto CJK collection holds 65,000 glyphs a face, of which a
    report needs about a thousand), and its CFF charstrings are not desubroutinized: they
    are drawn into TrueType outlines next, which gives the same outlines either way.
    """
    with TTFont(path, fontNumber=index, lazy=True) as font:
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        if "CFF " in font:
            _cff_to_glyf(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()


def _cff_to_glyf(font: TTFont) -> None:
    """Replace cubic CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxComponentDepth",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"


def _locate_without_fontconfig(family: str, bold: bool) -> tuple[str, int] | None:
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        weight = entry.weight if isinstance(entry.weight, int) else 700 * ("bold" in entry.weight)
        if entry.name == family and (weight >= 600) == bold:
            return entry.fname, _face_index(entry.fname, family, bold)
    return None


def _face_index(path: str, family: str, bold: bool) -> int:
    """The face of a collection (.ttc) holding ``family`` in the wanted weight (0 if single)."""
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    for index, font in enumerate(TTCollection(path, lazy=True).fonts):
        names = font["name"]
        style = str(names.getDebugName(2) or "")
        if str(names.getDebugName(1) or "") == family and ("Bold" in style) == bold:
            return index
    return 0


def installed_face(family: str, bold: bool) -> tuple[str, int] | None:
    """``family`` if installed, else the first of its system fallbacks that is."""
    for candidate in (family, *SYSTEM_FALLBACKS.get(family, ())):
        found = locate(candidate, bold)
        if found is not None:
            return found
    return None


def print_css(text: str, wanted: Callable[[Face], bool] | None = None) -> str:
    """``@font-face`` rules embedding the faces found, cut to the characters of ``text``;
    ``wanted`` (asked just before each face is cut) may leave a face out."""
    chars = "".join(sorted(set(text) | set(ALWAYS)))
    rules = []
    for face in FACES:
        found = installed_face(face.family, face.bold)
        if found is None or (wanted is not None and not wanted(face)):
            continue
        data = base64.b64encode(truetype_subset(*found, chars)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{face.css_family}"; '
            f"font-weight: {700 if face.bold else 400}; font-style: normal; "
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}'
        )
    return f'<style type="text/css">\n{chr(10).join(rules)}\n</style>' if rules else ""


@lru_cache(maxsize=16)
def postscript_name(path: str, index: int) -> str | None:
    """The PostScript name of a font (``NotoSerifCJKkr-Bold``): what a PDF calls it."""
    with TTFont(path, fontNumber=index, lazy=True) as font:
        name = font["name"].getDebugName(6)
    return str(name) if name else None


def used_in(pdf: bytes, face: Face) -> bool:
    """Whether a PDF Chromium printed with the installed fonts drew with ``face``'s font.

    Chromium names each font it embeds (``/FontName /CAAAAA+NotoSerifCJKkr-Regular``),
    the Type 3 ones too. When the PDF names none of separ's faces, nothing is learnt from
    it and every face counts as used.
    """
    named = set(re.findall(rb"/FontName /(?:[A-Z]{6}\+)?([\w.-]+)", pdf))
    ours: dict[Face, bytes] = {}
    for candidate in FACES:
        found = installed_face(candidate.family, candidate.bold)
        name = postscript_name(*found) if found else None
        if name:
            ours[candidate] = name.encode("ascii", "replace")
    if not named & set(ours.values()):
        return True
    return face not in ours or ours[face] in named
