"""PDF through the system's headless Chromium, Chrome or Edge (or $SEPAR_CHROMIUM).

nbconvert's own webpdf exporter drives a browser that Playwright downloads, which a
meeting-room laptop or an offline server does not have. Chromium's command line prints
a page to PDF by itself (``--print-to-pdf``), honouring the report's CSS ``@page`` (A4,
margins, page numbers), so nothing but the browser is needed. When none is found the
user is told what to install.
"""

from __future__ import annotations

import base64
import html
import os
import platform
import re
import shutil
import struct
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath

from nbformat import NotebookNode

from separ.errors import SeparError
from separ.i18n import add_messages
from separ.report import fonts

add_messages(
    {
        "report_no_chromium": {
            "ko": "PDF를 만들려면 Chromium, Google Chrome 또는 Microsoft Edge가 필요합니다. "
            "설치하세요 (Debian: sudo apt install chromium fonts-noto-cjk; Windows/macOS: "
            "Chrome 또는 Edge). 다른 곳에 있으면 SEPAR_CHROMIUM 환경변수에 실행 파일 경로를 "
            "적으세요.",
            "en": "making a PDF needs Chromium, Google Chrome or Microsoft Edge. Install one "
            "(Debian: sudo apt install chromium fonts-noto-cjk; Windows/macOS: Chrome or "
            "Edge), or set SEPAR_CHROMIUM to the browser's executable.",
        },
        "report_chromium_not_found_at": {
            "ko": "SEPAR_CHROMIUM이 가리키는 파일이 없거나 실행할 수 없습니다: {path}. "
            "Chromium을 설치하거나(Debian/Ubuntu: sudo apt install chromium) "
            "SEPAR_CHROMIUM을 Chromium/Chrome 실행 파일로 고치세요.",
            "en": "SEPAR_CHROMIUM names no executable file: {path}. Install Chromium "
            "(Debian/Ubuntu: sudo apt install chromium) or point SEPAR_CHROMIUM at a "
            "Chromium/Chrome executable.",
        },
        "report_pdf_failed": {
            "ko": "Chromium이 PDF를 만들지 못했습니다 ({detail})",
            "en": "Chromium did not write the PDF ({detail})",
        },
    }
)

LINUX_BROWSERS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
)
MAC_APPS = (
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Chromium.app/Contents/MacOS/Chromium",
    "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)
WINDOWS_EXES = (
    r"Google\Chrome\Application\chrome.exe",
    r"Microsoft\Edge\Application\msedge.exe",
    r"Chromium\Application\chrome.exe",
)


def browser_candidates(system: str, env: Mapping[str, str]) -> list[str]:
    """Where a Chromium-family browser lives on ``system`` (``platform.system()``), in order.

    Program names are looked up on the PATH; absolute paths are checked as files. Every
    Windows 10/11 has Edge, and most Korean facilitators carry a Windows laptop, so the PDF
    works there without installing anything; on a Mac, Chrome or Edge from /Applications.
    """
    if system == "Windows":
        roots = [
            env[key]
            for key in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
            if env.get(key)
        ]
        return [
            *(str(PureWindowsPath(root, exe)) for exe in WINDOWS_EXES for root in roots),
            "chrome",
            "msedge",
        ]
    if system == "Darwin":
        folders = ["/Applications", str(PurePosixPath(env.get("HOME", "~"), "Applications"))]
        return [str(PurePosixPath(folder, app)) for app in MAC_APPS for folder in folders]
    return [*LINUX_BROWSERS, "/usr/bin/chromium"]


FLAGS = (
    "--headless",
    "--no-sandbox",  # containers and root lack user namespaces; the page's CSP forbids scripts
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--mute-audio",
)

TIMEOUT_S = 300


def find_chromium() -> str:
    """The browser to print with: $SEPAR_CHROMIUM if set, else the system's first one."""
    named = os.environ.get("SEPAR_CHROMIUM")
    if named:
        path = _usable(named)
        if not path:
            raise SeparError("report_chromium_not_found_at", path=named)
        return path
    for candidate in browser_candidates(platform.system(), os.environ):
        path = _usable(candidate)
        if path:
            return path
    raise SeparError("report_no_chromium")


def _usable(candidate: str) -> str | None:
    """The executable ``candidate`` names (a program on the PATH or a file path), or None."""
    if Path(candidate).is_absolute():
        return candidate if Path(candidate).is_file() else None
    return shutil.which(candidate)


class Printing:
    """Chromium printing one self-contained HTML page to PDF, started now and read later
    with :meth:`result`, so separ can go on working while the browser prints."""

    def __init__(self, page: str) -> None:
        chromium = find_chromium()
        self._tmp = tempfile.TemporaryDirectory(prefix="separ-pdf-")
        folder = Path(self._tmp.name)
        source = folder / "report.html"
        self._target = folder / "report.pdf"
        self._log = folder / "chromium.log"
        source.write_text(page, encoding="utf-8")
        try:
            with self._log.open("w", encoding="utf-8") as log:  # a file: no pipe to fill
                self._process = subprocess.Popen(
                    [
                        chromium,
                        *FLAGS,
                        f"--user-data-dir={folder / 'profile'}",
                        f"--print-to-pdf={self._target}",
                        source.as_uri(),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
        except OSError as exc:
            self._tmp.cleanup()
            raise SeparError("report_pdf_failed", detail=str(exc)) from None
        self._started = time.monotonic()
        self._data: bytes | None = None

    def running(self) -> bool:
        return self._data is None and self._process.poll() is None

    def result(self) -> bytes:
        """The PDF's bytes, once Chromium is done (at most :data:`TIMEOUT_S` after the start)."""
        if self._data is None:
            self._data = self._wait()
        return self._data

    def _wait(self) -> bytes:
        left = max(0.0, TIMEOUT_S - (time.monotonic() - self._started))
        try:
            code = self._process.wait(timeout=left)
        except subprocess.TimeoutExpired as exc:
            self.cancel()
            raise SeparError("report_pdf_failed", detail=str(exc)) from None
        except BaseException:
            self.cancel()
            raise
        try:
            if not self._target.exists() or self._target.stat().st_size == 0:
                said = self._log.read_text(encoding="utf-8", errors="replace").splitlines()
                lines = [ln for ln in said if ln.strip()]
                detail = lines[-1] if lines else f"exit code {code}"
                raise SeparError("report_pdf_failed", detail=detail)
            return self._target.read_bytes()
        finally:
            self._tmp.cleanup()

    def cancel(self) -> None:
        """Stop Chromium and forget the print (when the work beside it failed)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._tmp.cleanup()


def html_to_pdf(page: str) -> bytes:
    """Print one self-contained HTML page to PDF bytes (A4 from the page's CSS)."""
    return Printing(page).result()


def page_text(page: str) -> str:
    """The characters a page shows (to cut the fonts to), tags and scripts left out."""
    without_data = re.sub(r"data:[^\"')]+", "", page)
    return html.unescape(re.sub(r"<[^>]*>", " ", without_data))


def _object(pdf: bytes, number: int) -> bytes:
    start = pdf.find(b"\n%d 0 obj\n" % number)
    return pdf[start : pdf.find(b"endobj", start)] if start >= 0 else b""


def page_numbers(pdf: bytes) -> dict[str, int]:
    """Anchor -> page number, from the named destinations Chromium writes for ``id``s
    that links point at (the catalog's ``/Dests`` and its page tree)."""
    catalog = re.search(rb"/Type /Catalog(.*?)>>\s*endobj", pdf, re.S)
    if not catalog:
        return {}
    pages_ref = re.search(rb"/Pages (\d+) 0 R", catalog.group(1))
    dests_ref = re.search(rb"/Dests (\d+) 0 R", catalog.group(1))
    if not pages_ref or not dests_ref:
        return {}
    order: list[int] = []

    def walk(number: int) -> None:
        node = _object(pdf, number)
        kids = re.search(rb"/Kids \[([^\]]*)\]", node)
        if kids and b"/Type /Pages" in node:
            for kid in re.findall(rb"(\d+) 0 R", kids.group(1)):
                walk(int(kid))
        else:
            order.append(number)

    walk(int(pages_ref.group(1)))
    index = {number: i + 1 for i, number in enumerate(order)}
    return {
        name.decode("ascii", "replace"): index[int(ref)]
        for name, ref in re.findall(
            rb"/([\w.-]+) \[(\d+) 0 R /XYZ", _object(pdf, int(dests_ref.group(1)))
        )
        if int(ref) in index
    }


def with_page_numbers(page: str, numbers: dict[str, int]) -> str:
    """The page with each contents entry followed by the page its target is on."""
    start, end = page.find('<nav class="contents">'), page.find("</nav>")
    if start < 0 or end < 0 or not numbers:
        return page

    def add(match: re.Match[str]) -> str:
        number = numbers.get(match.group(1))
        if not number:
            return match.group(0)
        return (
            f'<span class="entry">{match.group(0)}<span class="dots" aria-hidden="true">'
            f'</span><span class="page">{number}</span></span>'
        )

    nav = re.sub(r'<a href="#([\w.-]+)">.*?</a>', add, page[start:end])
    return page[:start] + nav + page[end:]


def shown_text(nb: NotebookNode) -> str:
    """What a report notebook prints: its title and its cells (to cut the fonts to)."""
    return "\n".join([str(nb.metadata.get("title", "")), *(c.source for c in nb.cells)])


def print_pdf(nb: NotebookNode) -> bytes:
    """The report notebook as PDF: rendered by separ's template, fonts embedded, printed."""
    from separ.report.exporter import ReportExporter

    find_chromium()  # fail before the rendering work, not after
    return print_page(ReportExporter().html(nb), shown_text(nb))


def print_page(page: str, shown: str) -> bytes:
    """A page of separ's report template (without print CSS) as PDF, with the fonts for the
    characters of ``shown`` embedded and page numbers in its contents.

    A page with contents is printed twice: the first print tells on which page each chapter,
    table and figure landed, and the second carries those numbers. The first print is only
    laid out, so it gets stand-ins of the images' sizes and no embedded fonts -- those are
    cut from the installed fonts, with the same metrics, so the pages break at the same
    places -- and Chromium lays it out while separ cuts the fonts; a face that print turns
    out not to use is not cut. Should the numbers themselves move a heading (a longer
    contents), the page is printed once more with the numbers that print gave.
    """
    from separ.report.exporter import with_print_css

    text = page_text(shown)
    if '<nav class="contents">' not in page:
        return html_to_pdf(with_print_css(page, fonts.print_css(text)))
    layout = Printing(image_stand_ins(page))
    try:
        css = fonts.print_css(
            text, wanted=lambda face: layout.running() or fonts.used_in(layout.result(), face)
        )
        numbers = page_numbers(layout.result())
    except BaseException:
        layout.cancel()
        raise
    printed = with_print_css(page, css)
    data = html_to_pdf(with_page_numbers(printed, numbers))
    landed = page_numbers(data)
    if landed != numbers:
        data = html_to_pdf(with_page_numbers(printed, landed))
    return data


PNG_DATA = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/]{32})[A-Za-z0-9+/=]*"')
"""An embedded PNG; the first 24 bytes (32 base64 characters) hold its size (IHDR)."""


def image_stand_ins(page: str) -> str:
    """``page`` with each embedded PNG replaced by an empty SVG of its pixel size: the same
    boxes for the layout, without megabytes of images to decode and print."""

    def stand_in(match: re.Match[str]) -> str:
        head = base64.b64decode(match.group(1))
        width, height = struct.unpack(">II", head[16:24])
        return (
            'src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 '
            f'width=%22{width}%22 height=%22{height}%22/%3E"'
        )

    return PNG_DATA.sub(stand_in, page)
