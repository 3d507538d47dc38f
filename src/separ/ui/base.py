"""The one UI kit of the facilitator panels: status line, error display, people's tables,
sections, the "put it live" button and live refresh.

Every facilitator panel builds on these so that a refusal looks the same everywhere
(the domain's :class:`~separ.errors.SeparError`, in the workshop's language, one
colour), a table reads like a table in a report (Korean heads, 예/아니요, no index, no
internal ids, thousands separators), and counts follow the store while phones write.
The domain function re-checks rights and values; a panel only shows how it went.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, text
from separ.store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

add_messages(
    {
        "ui_yes": {"ko": "예", "en": "yes"},
        "ui_no": {"ko": "아니요", "en": "no"},
        "ui_empty_table": {"ko": "(아직 없습니다)", "en": "(nothing yet)"},
        "ui_put_live": {"ko": "참여자 화면에 띄우기", "en": "Show on participants' screens"},
        "ui_put_live_done": {
            "ko": "참여자 화면에 띄웠습니다: {title}",
            "en": "Now on participants' screens: {title}",
        },
        "ui_done": {"ko": "반영했습니다.", "en": "Done."},
    }
)

OK_COLOUR = "#1e6b34"
ERROR_COLOUR = "#b00020"

FULL = "calc(100% - 8px)"
"""Full width less ipywidgets' own margins: plain 100% overflows a 360 px phone screen."""


def say(lang: Lang, key: str, **params: object) -> str:
    """A message of :mod:`separ.i18n` in ``lang`` (the one way panels get their texts)."""
    return text(key, lang, **params)


def tap() -> widgets.Layout:
    """Buttons at least 44 CSS px tall (a thumb), full width. A new Layout each time: a
    widget made at import would be shared by every page of the live server."""
    return widgets.Layout(min_height="48px", width=FULL)


def tap_small() -> widgets.Layout:
    return widgets.Layout(min_height="44px", min_width="44px", width="auto")


# -- choices a screen reader reads as chosen ------------------------------------------------

CHOICE = "separ-choice"
"""A plain Button used as one choice of several (a category, a score, a rank)."""
CHOSEN = "separ-chosen"
"""... and chosen now."""
CHOICES = "separ-choices"
"""A box of one-of-several CHOICE buttons: a radio group. Given as ``_dom_classes`` when
the box is made (a class added later is one more message per phone)."""
HIDDEN_LABEL = "separ-hidden-label"
"""A ToggleButtons whose description names it for screen readers only (the page shows the
name above it already)."""


def choice(description: str, layout: widgets.Layout, tooltip: str | None = None) -> widgets.Button:
    """A button that is one of several choices. The live pages' script
    (``live/jupyter/voila/templates/separ/separ_aria.js``) reads its classes: in a
    :data:`CHOICES` box it is a radio with ``aria-checked``, elsewhere a toggle with
    ``aria-pressed``; the colour alone says nothing to a screen reader."""
    return widgets.Button(
        description=description, layout=layout, tooltip=tooltip, _dom_classes=(CHOICE,)
    )


def show_chosen(button: widgets.Button, chosen: bool, style: str = "info") -> None:
    """Mark a :func:`choice` chosen or not: its colour and its class, in one message."""
    others = tuple(c for c in button._dom_classes if c != CHOSEN)
    with button.hold_sync():
        button.button_style = style if chosen else ""
        button._dom_classes = (*others, CHOSEN) if chosen else others


# -- status and errors --------------------------------------------------------------------


def status_html(message: str, *, ok: bool) -> str:
    """The one status line: green for done, red for a refusal (text escaped)."""
    colour = OK_COLOUR if ok else ERROR_COLOUR
    return (
        f'<div role="status" style="color:{colour};font-size:1.05em">{html.escape(message)}</div>'
    )


def show_status(widget: widgets.HTML, message: str, *, ok: bool) -> None:
    widget.value = status_html(message, ok=ok)


def show_error(widget: widgets.HTML, err: SeparError, lang: Lang) -> None:
    """A domain refusal, one way on every panel."""
    widget.value = status_html(err.message(lang), ok=False)


def guard(lang: Lang, out: widgets.HTML, action: Callable[[], str]) -> bool:
    """Run a domain call; show its confirmation or its refusal. True when it went through."""
    try:
        message = action()
    except SeparError as err:
        show_error(out, err, lang)
        return False
    show_status(out, message, ok=True)
    return True


class View:
    """A view holds its widget tree in ``widget`` (composition: ipywidgets is untyped) and
    shows it when a notebook cell ends with the view."""

    widget: widgets.Box

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


class ActionView(widgets.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """A facilitator panel that is itself a widget: ``_run`` calls the domain, shows
    how it went on ``status`` and refreshes."""

    store: Store
    actor: Actor
    lang: Lang
    status: Any

    def _run(self, action: Callable[[], object], done: str) -> bool:
        """Run ``action``; show its error, or refresh and confirm with ``done``."""
        try:
            action()
        except SeparError as exc:
            show_error(self.status, exc, self.lang)
            return False
        self.refresh()
        show_status(self.status, done, ok=True)
        return True

    def _refuse(self) -> bool:
        """For a facilitator-only panel: show the refusal and build nothing else."""
        if self.actor.facilitator:
            return False
        super().__init__(
            [widgets.HTML(status_html(SeparError("facilitator_only").message(self.lang), ok=False))]
        )
        return True

    def refresh(self) -> None:
        raise NotImplementedError


# -- tables for people -------------------------------------------------------------------


def cell_text(value: object, lang: Lang) -> str:
    """One value as a person reads it: 예/아니요, 1,234,000, 2.5, dates, labels of codes."""
    label = getattr(value, "label", None)
    if isinstance(value, Enum) and callable(label):
        return str(label(lang))
    if value is None:
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return say(lang, "ui_yes" if value else "ui_no")
    if isinstance(value, int) or type(value).__name__.startswith("int"):
        return f"{int(value):,}"  # type: ignore[call-overload]
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return ""
        if number.is_integer():
            return f"{int(number):,}"
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(cell_text(v, lang) for v in value)
    if type(value).__name__ in ("NaTType", "NAType"):
        return ""
    return str(value)


def _internal(head: str) -> bool:
    """A column of internal ids (``ID``, ``poll id``, ``투표 ID``): not for people."""
    lowered = head.strip().lower()
    return lowered == "id" or lowered.endswith(" id") or lowered.endswith("_id")


def rows_html(
    heads: Sequence[str],
    rows: Iterable[Sequence[object]],
    lang: Lang,
    *,
    caption: str | None = None,
    numeric: Iterable[int] = (),
) -> str:
    """Rows as an escaped HTML table; ``numeric`` columns align right."""
    right = set(numeric)
    head = "".join(
        f"<th style='text-align:left;padding:4px 10px;border-bottom:2px solid #444;"
        f"word-break:keep-all'>{html.escape(h)}</th>"
        for h in heads
    )
    body = []
    for row in rows:
        cells = "".join(
            f"<td style='padding:4px 10px;border-bottom:1px solid #ddd;word-break:keep-all;"
            f"{'text-align:right' if i in right else ''}'>{html.escape(cell_text(v, lang))}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(
            f"<tr><td colspan='{max(len(heads), 1)}' style='color:#666;padding:4px 10px'>"
            f"{html.escape(say(lang, 'ui_empty_table'))}</td></tr>"
        )
    cap = (
        (
            f"<caption style='text-align:left;font-weight:bold;padding:4px 0'>"
            f"{html.escape(caption)}</caption>"
        )
        if caption
        else ""
    )
    return (
        f"<table class='separ-table' style='border-collapse:collapse;font-size:15px'>"
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def frame_html(
    df: Any,
    lang: Lang,
    *,
    caption: str | None = None,
    hide: Iterable[str] = (),
    heads: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """A pandas DataFrame as a table for people: no 0-based index (a meaningful index
    becomes the first column), no id columns, booleans as 예/아니요, numbers with
    thousands separators, every text escaped. ``heads`` names the columns of a frame
    keyed by codes (``{"percent": {"ko": "진척률(%)", "en": "progress (%)"}}``)."""
    import pandas as pd

    frame = df.copy()
    if heads:
        frame = frame.rename(columns={c: heads[c][lang] for c in frame.columns if c in heads})
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" · ".join(str(p) for p in c if str(p)) for c in frame.columns]
    named = any(n is not None for n in frame.index.names)
    if named or not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
        if not named and "index" in frame.columns:
            frame = frame.drop(columns="index")
    dropped = set(hide)
    keep = [c for c in frame.columns if str(c) not in dropped and not _internal(str(c))]
    frame = frame[keep]
    numeric = [
        i
        for i, c in enumerate(keep)
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    rows = [
        [None if _missing(v) else v for v in row]
        for row in frame.itertuples(index=False, name=None)
    ]
    return rows_html([str(c) for c in keep], rows, lang, caption=caption, numeric=numeric)


def _missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def table(
    df: Any,
    lang: Lang,
    *,
    caption: str | None = None,
    hide: Iterable[str] = (),
    heads: Mapping[str, Mapping[str, str]] | None = None,
) -> widgets.HTML:
    """:func:`frame_html` as a widget: what a stage page shows instead of a DataFrame."""
    return widgets.HTML(
        frame_html(df, lang, caption=caption, hide=hide, heads=heads),
        layout=widgets.Layout(overflow="auto", max_width="100%"),
    )


def frames_box(frames: Mapping[str, Any], lang: Lang) -> widgets.VBox:
    """Several tables, each under its caption."""
    return widgets.VBox([table(df, lang, caption=name) for name, df in frames.items()])


# -- figures and sections ------------------------------------------------------------------


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """A matplotlib figure as PNG bytes that say how small their smallest text is.

    The PNG carries that text's height in its own pixels (``tEXt``
    :data:`separ.report.shots.FIGURE_TEXT_KEY`): the guides' screenshots measure the
    type of the page they capture, and a figure's type is pixels in a picture, which the
    page cannot tell. Read after drawing, when the tick labels exist.
    """
    from separ.report.print_size import texts
    from separ.report.shots import FIGURE_TEXT_KEY, with_png_text

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    sizes = [float(t.get_fontsize()) for t in texts(fig)]
    if not sizes:
        return buffer.getvalue()
    return with_png_text(buffer.getvalue(), FIGURE_TEXT_KEY, f"{min(sizes) * dpi / 72:.2f}")


def figure_widget(fig: Figure, dpi: int = 100) -> widgets.Image:
    """A matplotlib figure as an image widget: figures are built without pyplot, so a
    notebook would not display them by itself."""
    return widgets.Image(
        value=figure_png(fig, dpi), format="png", layout=widgets.Layout(max_width="100%")
    )


def heading(title: str, note: str | None = None) -> widgets.HTML:
    extra = f"<p style='color:#444;margin:2px 0 8px'>{html.escape(note)}</p>" if note else ""
    return widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>{extra}")


def sections(
    parts: Sequence[tuple[str, widgets.Widget | Callable[[], widgets.Widget]]],
) -> widgets.Tab:
    """A stage page's sections as tabs (a page that fits 1366×768 instead of a long
    notebook). A section given as a function is built when its tab is first opened, so a
    page does not draw every figure before the first tab shows."""
    holders: list[widgets.Box] = []
    builders: dict[int, Callable[[], widgets.Widget]] = {}
    for i, (_, part) in enumerate(parts):
        if isinstance(part, widgets.Widget):
            holders.append(widgets.VBox([part]))
        else:
            holders.append(widgets.VBox())
            builders[i] = part
    tab = widgets.Tab(
        children=holders, titles=[title for title, _ in parts], layout=widgets.Layout(width="100%")
    )

    def build(index: int | None) -> None:
        if index is not None and index in builders:
            holders[index].children = (builders.pop(index)(),)

    tab.observe(lambda change: build(change["new"]), "selected_index")
    build(tab.selected_index)
    return tab


# -- put it live ----------------------------------------------------------------------------


class LiveButton(widgets.HBox):  # type: ignore[misc]
    """ "참여자 화면에 띄우기" beside a board, poll, Delphi round or the roadmap: puts
    ``activity`` live on the chosen target for the session that is live now.

    ``target`` is called at click time (the panel's current board or poll); the
    facilitator actor is the page's, and :func:`separ.tokens.set_live` checks it again.
    """

    def __init__(
        self,
        store: Store,
        actor: Actor,
        activity: str,
        target: Callable[[], str | None] = lambda: None,
        lang: Lang = "ko",
    ) -> None:
        self.store, self.actor, self.activity, self.target, self.lang = (
            store,
            actor,
            activity,
            target,
            lang,
        )
        self.button = widgets.Button(
            description=say(lang, "ui_put_live"),
            icon="television",
            button_style="warning",
            layout=widgets.Layout(min_height="40px", width="auto"),
        )
        self.status = widgets.HTML()
        self.button.on_click(lambda _b: self.go())
        super().__init__(
            [self.button, self.status],
            layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
        )

    def go(self) -> bool:
        from separ.live import activities
        from separ.tokens import live_state, set_live

        def act() -> str:
            session = live_state(self.store).session_id
            state = set_live(self.store, self.actor, self.activity, session, self.target())
            found = activities.get(self.activity)
            title = found.label[self.lang] if found else self.activity
            if found is not None and state.target_id:
                titles = {t.id: t.title for t in found.list_targets(self.store)}
                title = titles.get(state.target_id, title)
            return say(self.lang, "ui_put_live_done", title=title)

        return guard(self.lang, self.status, act)


# -- follow the store -----------------------------------------------------------------------

FOLLOW_SECONDS = 1.0
"""How often a facilitator page re-reads the store's revision (one one-row read)."""

_hubs: dict[int, Any] = {}
_hubs_lock = threading.Lock()


class _Follower:
    """Calls ``refresh()`` of a panel, held weakly: a closed page is not kept alive."""

    def __init__(self, view: Any) -> None:
        self.view = weakref.ref(view)

    def on_change(self) -> None:
        view = self.view()
        if view is not None:
            view.refresh()


def hub_for(store: Store) -> Any:
    """One revision poller per store in this kernel, shared by the page's panels."""
    from separ.live.runtime import Hub

    with _hubs_lock:
        if id(store) not in _hubs:
            _hubs[id(store)] = Hub(store.revision, interval=FOLLOW_SECONDS)
        return _hubs[id(store)]


def follow(store: Store, view: Any) -> Any:
    """Refresh ``view`` whenever the store changes (ballots, notes, answers from phones):
    a facilitator page shows counts as they are, not as they were when it opened."""
    follower = _Follower(view)
    view._separ_follower = follower  # the hub holds it weakly: it lives as long as the view
    hub_for(store).subscribe(follower)
    return view
