"""The report in the page: the closing session reviews it on the projector, then exports it.

A thin view: the report is assembled by :mod:`separ.report` and rendered by the same
HTML code as the files, inside a ``.separ-report`` box styled by the template's CSS.
Exporting writes files, so it is the facilitator's; the result is offered as a
download link and, for a workshop folder, saved in its ``reports/`` folder.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
import weakref
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as widgets

from separ.actors import Actor, require_facilitator
from separ.errors import SeparError
from separ.i18n import LANGS, Lang, add_messages, text
from separ.model import Language
from separ.report import FORMATS, assemble, export
from separ.report.blocks import Section
from separ.report.exporter import TEMPLATES
from separ.report.html import PngMemo, body_html
from separ.store import Store
from separ.ui.base import show_error, show_status, status_html
from separ.ui.writeup import with_writeup

add_messages(
    {
        "report_ui_refresh": {"ko": "새로 고침", "en": "Refresh"},
        "report_ui_export": {"ko": "{fmt} 내보내기", "en": "Export {fmt}"},
        "report_ui_working": {"ko": "{fmt} 만드는 중…", "en": "making {fmt}…"},
        "report_ui_written": {
            "ko": "저장했습니다: {path} ({size} KB)",
            "en": "saved: {path} ({size} KB)",
        },
        "report_ui_download": {"ko": "내려받기", "en": "download"},
        "report_ui_where": {
            "ko": "내보낸 파일은 워크숍 폴더의 reports 폴더에 저장됩니다.",
            "en": "Exports are saved in the workshop folder, under reports.",
        },
    }
)


def workshop_folder(folder: str | Path | None) -> Path | None:
    """The workshop folder a report goes into: the workbook's ``workshop_dir``, else the
    folder the server was started on ($SEPAR_WORKSHOP), when it is a folder."""
    found = folder or os.environ.get("SEPAR_WORKSHOP")
    return Path(found) if found and Path(found).is_dir() else None


CSS = (TEMPLATES / "separ_report" / "static" / "report.css").read_text(encoding="utf-8")
MIME = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LABEL = {"html": "HTML", "pdf": "PDF", "xlsx": "Excel"}
AUTONYMS = Language.labels()
"""Each language is named in itself on the switch, whatever language the report is in."""


class ReportView(widgets.VBox):  # type: ignore[misc]
    """Language switch, refresh and export buttons above the report itself."""

    def __init__(self, store: Store, actor: Actor, folder: str | Path | None = None) -> None:
        self.store = store
        self.actor = actor
        found = workshop_folder(folder)
        self.out_dir = (
            found / "reports" if found else Path(tempfile.mkdtemp(prefix="separ-report-"))
        )
        self.base = found
        self.lang_choice = widgets.ToggleButtons(
            options=[(AUTONYMS[code][code], code) for code in LANGS], value=store.workshop().lang
        )
        self.refresh_button = widgets.Button(icon="refresh")
        self.export_buttons = {fmt: widgets.Button(icon="download") for fmt in FORMATS}
        self.status = widgets.HTML()
        self.where = widgets.HTML()
        self.page = widgets.HTML(layout=widgets.Layout(width="100%"))
        self._built: dict[str, Section | None] = {}
        """The sections last shown, in the language shown (a language switch builds anew)."""
        self._pngs: PngMemo = weakref.WeakKeyDictionary()
        self.lang_choice.observe(lambda _: self.refresh(), names="value")
        self.refresh_button.on_click(lambda _: self.refresh())
        for fmt, button in self.export_buttons.items():
            button.on_click(lambda _, fmt=fmt: self.export(fmt))
        bar = widgets.HBox([self.lang_choice, self.refresh_button, *self.export_buttons.values()])
        super().__init__([bar, self.where, self.status, self.page])
        self.refresh()

    @property
    def lang(self) -> Lang:
        return "en" if self.lang_choice.value == "en" else "ko"

    def refresh(self, parts: Iterable[str] | None = None) -> None:
        """Re-read the store and show the report as it is now.

        ``parts``: only these sections changed (a write-up save changes one prose part);
        the others and their figures are shown as last built, so a save shows in a moment
        instead of the seconds a whole report takes to draw. The refresh button, the
        language switch and a new page build everything again.
        """
        lang = self.lang
        if parts is None:
            self._built.clear()
        else:
            for part in parts:
                self._built.pop(part, None)
        self.refresh_button.description = text("report_ui_refresh", lang)
        for fmt, button in self.export_buttons.items():
            button.description = text("report_ui_export", lang, fmt=LABEL[fmt])
        self.where.value = (
            f"<small>{html.escape(text('report_ui_where', lang))}</small>" if self.base else ""
        )
        report = assemble(self.store, lang, built=self._built)
        self.page.value = (
            f'<style>{CSS}</style><div class="separ-report" lang="{lang}">'
            f"{body_html(report, self._pngs)}</div>"
        )

    def export(self, fmt: str) -> None:
        """Write one format and offer it for download (facilitators only)."""
        lang = self.lang
        show_status(self.status, text("report_ui_working", lang, fmt=LABEL[fmt]), ok=True)
        try:
            require_facilitator(self.actor)
            if fmt not in FORMATS:
                raise SeparError("unknown_format", suffix=str(fmt))
            (written,) = export(self.store, (fmt,), self.out_dir / f"report.{fmt}", lang)
        except SeparError as exc:
            show_error(self.status, exc, lang)
            return
        data = base64.b64encode(written.path.read_bytes()).decode("ascii")
        saved = text("report_ui_written", lang, path=written.path, size=f"{written.size // 1024:,}")
        link = html.escape(text("report_ui_download", lang))
        self.status.value = (
            status_html(saved, ok=True) + f'<a download="{html.escape(written.path.name)}" '
            f'href="data:{MIME[fmt]};base64,{data}" style="font-size:1.1em">⬇ {link}</a>'
        )


def report_page(store: Store, actor: Actor, folder: str | Path | None = None) -> widgets.Widget:
    """The stage page of workbook 05 (facilitators only: exporting writes files)."""
    if not actor.facilitator:
        return widgets.HTML(
            status_html(SeparError("facilitator_only").message(store.workshop().lang), ok=False)
        )
    return with_writeup(ReportView(store, actor, folder))
