"""Asset-mapping views: the participant's asset and tie forms, curation, the projector.

Thin on purpose: every button calls a function of :mod:`separ.assets` or
:mod:`separ.network` with the :class:`~separ.actors.Actor` the page was opened with, and
shows the :class:`~separ.errors.SeparError` message if it refuses. Who "my organisation"
is comes from the Actor through the store, never from a widget. Disabled or hidden
controls are hints for honest users; the domain functions are the check.

The live server mounts :func:`participant_view` on each phone; the facilitator's
workbook shows :class:`CurationView` and :class:`ProjectorView`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from separ import assets as am
from separ import network as net
from separ.actors import Actor
from separ.errors import Field, SeparError
from separ.i18n import Lang, add_messages
from separ.model import Organisation
from separ.store import Store
from separ.ui.base import View, figure_png, say, show_status, tap, tap_small
from separ.validation import noun

if TYPE_CHECKING:
    from matplotlib.figure import Figure


add_messages(
    {
        "assets_ui_asset_intro": {
            "ko": "우리 지역에 이미 있는 사람·모임·기관·공간·경제·문화 자산을 하나씩 적어 주세요.",
            "en": "Name one thing our area already has: a skill, group, institution, place, "
            "economic or cultural asset.",
        },
        "assets_ui_name": {"ko": "자산", "en": "Asset"},
        "assets_ui_category": {"ko": "분류", "en": "Category"},
        "assets_ui_holder_org": {"ko": "보유 조직 (선택)", "en": "Held by organisation (optional)"},
        "assets_ui_holder": {"ko": "또는 보유자 직접 입력", "en": "or holder, in your words"},
        "assets_ui_location": {"ko": "위치 (읍·면·동)", "en": "Location (town / district)"},
        "assets_ui_shareable": {"ko": "다른 조직과 함께 쓸 수 있어요", "en": "Can be shared"},
        "assets_ui_notes": {"ko": "메모 (선택)", "en": "Notes (optional)"},
        "assets_ui_add": {"ko": "자산 보내기", "en": "Send asset"},
        "assets_ui_added": {"ko": "보냈습니다: {name}", "en": "Sent: {name}"},
        "assets_ui_mine": {"ko": "내가 보낸 자산: {n}개", "en": "Assets you sent: {n}"},
        "assets_ui_tie_intro": {
            "ko": "우리 조직은 어느 조직과, 어떻게 함께 일하고 있나요?",
            "en": "Which organisations do you work with, and how?",
        },
        "assets_ui_partner": {"ko": "상대 조직", "en": "Organisation"},
        "assets_ui_kind": {"ko": "어떻게", "en": "How"},
        "assets_ui_strength": {"ko": "얼마나 자주·깊이", "en": "How strong"},
        "assets_ui_strength_1": {"ko": "가끔", "en": "a little"},
        "assets_ui_strength_2": {"ko": "자주", "en": "often"},
        "assets_ui_strength_3": {"ko": "아주 긴밀", "en": "closely"},
        "assets_ui_tie_add": {"ko": "관계 보내기", "en": "Send tie"},
        "assets_ui_tie_added": {"ko": "보냈습니다: {org} ({kind})", "en": "Sent: {org} ({kind})"},
        "assets_ui_my_org": {"ko": "우리 조직: {name}", "en": "Your organisation: {name}"},
        "assets_ui_no_org": {
            "ko": "소속 조직이 등록되어 있지 않아 관계는 진행자에게 말씀해 주세요.",
            "en": "Your organisation is not registered: tell the facilitator about your ties.",
        },
        "assets_ui_pick": {"ko": "먼저 자산을 고르세요.", "en": "Pick an asset first."},
        "assets_ui_pick_two": {
            "ko": "합칠 자산을 두 개 이상 고르세요 (첫째가 남습니다).",
            "en": "Pick two or more assets (the first one is kept).",
        },
        "assets_ui_hide": {"ko": "숨기기", "en": "Hide"},
        "assets_ui_unhide": {"ko": "다시 보이기", "en": "Show again"},
        "assets_ui_merge": {"ko": "합치기", "en": "Merge"},
        "assets_ui_save": {"ko": "고쳐 저장", "en": "Save edit"},
        "assets_ui_active": {"ko": "자산 목록", "en": "Assets"},
        "assets_ui_hidden": {"ko": "숨긴 자산", "en": "Hidden assets"},
        "assets_ui_none": {"ko": "(없음)", "en": "(none)"},
        "assets_ui_projector": {
            "ko": "자산 {n}개 · 조직 {orgs}개 · 관계 {ties}개",
            "en": "{n} assets · {orgs} organisations · {ties} ties",
        },
    }
)


def _readable(err: SeparError, lang: Lang) -> str:
    """The refusal with only the field's label ("자산: …") instead of "자산, 자산: …" on a
    phone: the form is the asset (or tie), and the person knows it by the labels it shows."""
    parts = err.place.parts
    for rtype in (am.Asset, net.Tie):
        field = parts[-1] if parts and parts[0] == noun(rtype) else None
        if isinstance(field, Field) and field.name in rtype.labels:
            label = rtype.labels[field.name][lang]
            return SeparError(err.key, where=label, **err.params).message(lang)
    return err.message(lang)


def _guard(lang: Lang, out: w.HTML, action: Callable[[], str]) -> bool:
    """The kit's :func:`~separ.ui.base.guard`, with field labels in the refusal."""
    try:
        message = action()
    except SeparError as err:
        show_status(out, _readable(err, lang), ok=False)
        return False
    show_status(out, message, ok=True)
    return True


def _para(message: str, size: str = "1.05em") -> str:
    return f'<p style="font-size:{size};margin:4px 0">{html.escape(message)}</p>'


def _org_options(store: Store, exclude: str | None = None) -> list[tuple[str, str | None]]:
    """The organisations by name; the list is read once per sweep of the live poller for
    all phones (each page then only drops its own)."""
    from separ.live.runtime import shared

    orgs: list[Organisation] = shared(
        "organisations", lambda: store.list(Organisation, order_by="name")
    )
    return [("—", None)] + [(o.name, o.id) for o in orgs if o.id != exclude]


def _keep(value: Any, options: list[tuple[str, Any]]) -> Any:
    return value if value in [code for _, code in options] else options[0][1]


def _text(value: object) -> str | None:
    """A text widget's value, or None for an empty box (a forged non-string passes through
    for the domain to refuse)."""
    if isinstance(value, str):
        return value.strip() or None
    return value  # type: ignore[return-value]


# -- participant -----------------------------------------------------------------------------


class AssetForm(View):
    """A phone form: name an asset, pick its category, say who holds it and where, send."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store, self.actor, self.lang = store, actor, lang
        t: Callable[[str], str] = lambda key: say(lang, key)  # noqa: E731
        self.intro = w.HTML(_para(t("assets_ui_asset_intro")))
        self.name = w.Text(placeholder=t("assets_ui_name"), layout=tap())
        self.category = w.Dropdown(
            options=[(c.label(lang), c.value) for c in am.AssetCategory],
            description=t("assets_ui_category"),
            layout=tap(),
            style={"description_width": "initial"},
        )
        self.holder_org = w.Dropdown(
            description=t("assets_ui_holder_org"),
            layout=tap(),
            style={"description_width": "initial"},
        )
        self.holder = w.Text(placeholder=t("assets_ui_holder"), layout=tap())
        self.location = w.Text(placeholder=t("assets_ui_location"), layout=tap())
        self.shareable = w.Checkbox(
            description=t("assets_ui_shareable"), indent=False, layout=w.Layout(min_height="44px")
        )
        self.notes = w.Textarea(
            placeholder=t("assets_ui_notes"), layout=w.Layout(width="100%", min_height="88px")
        )
        self.send = w.Button(description=t("assets_ui_add"), button_style="primary", layout=tap())
        self.status = w.HTML()
        self.mine = w.HTML()
        self.send.on_click(lambda _: self._send())
        self.widget = w.VBox(
            [
                self.intro,
                self.name,
                self.category,
                self.holder_org,
                self.holder,
                self.location,
                self.shareable,
                self.notes,
                self.send,
                self.status,
                self.mine,
            ],
            layout=w.Layout(max_width="480px", width="100%"),
        )
        self.refresh()

    def _send(self) -> None:
        data = {
            "name": _text(self.name.value),
            "category": self.category.value,
            "holder_org_id": self.holder_org.value,
            "holder": _text(self.holder.value),
            "location": _text(self.location.value),
            "shareable": self.shareable.value,
            "notes": _text(self.notes.value),
        }
        data = {k: v for k, v in data.items() if v is not None}  # empty = missing

        def act() -> str:
            asset = am.add_asset(self.store, self.actor, data)
            return say(self.lang, "assets_ui_added", name=asset.name)

        if _guard(self.lang, self.status, act):
            for box in (self.name, self.holder, self.location, self.notes):
                box.value = ""
            self.shareable.value = False
            self.refresh()

    def refresh(self) -> None:
        options = _org_options(self.store)
        self.holder_org.options = options
        self.holder_org.value = _keep(self.holder_org.value, options)
        mine = [
            a
            for a in self.store.list(am.Asset, added_by=self.actor.participant_id)
            if self.actor.participant_id
        ]
        self.mine.value = _para(say(self.lang, "assets_ui_mine", n=len(mine)), "0.95em")


class TieForm(View):
    """One sentence on a phone: "we work with [organisation] by [kind]", a strength, send."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store, self.actor, self.lang = store, actor, lang
        t: Callable[[str], str] = lambda key: say(lang, key)  # noqa: E731
        self.intro = w.HTML(_para(t("assets_ui_tie_intro")))
        self.own = w.HTML()
        self.partner = w.Dropdown(
            description=t("assets_ui_partner"), layout=tap(), style={"description_width": "initial"}
        )
        self.kind = w.Dropdown(
            options=[(k.label(lang), k.value) for k in net.TieKind],
            description=t("assets_ui_kind"),
            layout=tap(),
            style={"description_width": "initial"},
        )
        self.strength = w.ToggleButtons(
            options=[(t(f"assets_ui_strength_{n}"), n) for n in (1, 2, 3)],
            value=1,
            description=t("assets_ui_strength"),
            style={"button_width": "auto", "description_width": "initial"},
            layout=w.Layout(min_height="44px"),
        )
        self.send = w.Button(
            description=t("assets_ui_tie_add"), button_style="primary", layout=tap()
        )
        self.status = w.HTML()
        self.send.on_click(lambda _: self._send())
        self.widget = w.VBox(
            [self.intro, self.own, self.partner, self.kind, self.strength, self.send, self.status],
            layout=w.Layout(max_width="480px", width="100%"),
        )
        self.refresh()

    def _own(self) -> str | None:
        try:
            return net.own_organisation(self.store, self.actor)
        except SeparError:
            return None

    def _send(self) -> None:
        def act() -> str:
            own = net.own_organisation(self.store, self.actor)
            tie = net.add_tie(
                self.store,
                self.actor,
                {
                    "from_org_id": own,
                    "to_org_id": self.partner.value,
                    "kind": self.kind.value,
                    "strength": self.strength.value,
                },
            )
            partner = self.store.get(Organisation, tie.to_org_id).name
            return say(
                self.lang, "assets_ui_tie_added", org=partner, kind=tie.kind.label(self.lang)
            )

        _guard(self.lang, self.status, act)

    def refresh(self) -> None:
        own = self._own()
        if own is None:
            self.own.value = _para(say(self.lang, "assets_ui_no_org"), "0.95em")
        else:
            name = self.store.get(Organisation, own).name
            self.own.value = _para(say(self.lang, "assets_ui_my_org", name=name), "0.95em")
        for control in (self.partner, self.kind, self.strength, self.send):
            control.disabled = own is None
        options = _org_options(self.store, exclude=own)
        self.partner.options = options
        self.partner.value = _keep(self.partner.value, options)


class ParticipantPage(View):
    """The phone page of this stage: the asset form, then the tie form."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.assets = AssetForm(store, actor, lang)
        self.ties = TieForm(store, actor, lang)
        self.widget = w.VBox([self.assets.widget, w.HTML("<hr>"), self.ties.widget])

    def refresh(self) -> None:
        self.assets.refresh()
        self.ties.refresh()


def participant_view(store: Store, actor: Actor, lang: Lang = "ko") -> ParticipantPage:
    """The asset and tie forms of a participant (identity from ``actor``)."""
    return ParticipantPage(store, actor, lang)


def live_participant_view(store: Store, actor: Actor) -> w.Widget:
    """What the live server mounts on a phone while the asset survey is live."""
    from separ.ui.mount import Mounted

    return Mounted(ParticipantPage(store, actor, store.workshop().lang))


def projector_view(store: Store) -> w.Widget:
    """The room's screen: counts and the assets by category first, sized for the back row
    (the network map stays in the workbook: its labels are not readable from afar)."""
    from separ.ui.projector import assets_view

    return assets_view(store)


# -- facilitator -----------------------------------------------------------------------------


class CurationView(View):
    """The facilitator's list: pick assets to hide, merge (the first picked is kept) or edit."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        self.store, self.actor, self.lang = store, actor, lang
        t: Callable[[str], str] = lambda key: say(lang, key)  # noqa: E731
        self.active = w.SelectMultiple(
            description=t("assets_ui_active"),
            layout=w.Layout(width="100%", height="260px"),
            style={"description_width": "initial"},
        )
        self.hidden = w.Select(
            description=t("assets_ui_hidden"),
            layout=w.Layout(width="100%", height="120px"),
            style={"description_width": "initial"},
        )
        self.edit_name = w.Text(
            placeholder=t("assets_ui_name"), layout=w.Layout(min_height="44px", width="45%")
        )
        self.edit_category = w.Dropdown(
            options=[(c.label(lang), c.value) for c in am.AssetCategory],
            layout=w.Layout(min_height="44px", width="30%"),
        )
        self.hide = w.Button(description=t("assets_ui_hide"), layout=tap_small())
        self.merge = w.Button(description=t("assets_ui_merge"), layout=tap_small())
        self.save = w.Button(description=t("assets_ui_save"), layout=tap_small())
        self.unhide = w.Button(description=t("assets_ui_unhide"), layout=tap_small())
        self.status = w.HTML()
        self.hide.on_click(lambda _: self._hide())
        self.merge.on_click(lambda _: self._merge())
        self.save.on_click(lambda _: self._save())
        self.unhide.on_click(lambda _: self._unhide())
        self.active.observe(lambda _: self._picked(), names="value")
        self.widget = w.VBox(
            [
                self.active,
                w.HBox([self.hide, self.merge]),
                w.HBox([self.edit_name, self.edit_category, self.save]),
                self.hidden,
                self.unhide,
                self.status,
            ]
        )
        self.refresh()

    def _picked(self) -> None:
        chosen = list(self.active.value)
        if len(chosen) == 1:
            try:
                asset = self.store.get(am.Asset, chosen[0])
            except SeparError:
                return
            self.edit_name.value = asset.name
            self.edit_category.value = asset.category.value

    def _run(self, action: Callable[[], object]) -> None:
        def act() -> str:
            action()
            return say(self.lang, "ui_done")

        try:
            if _guard(self.lang, self.status, act):
                self.refresh()
        except _Pick as pick:
            show_status(self.status, say(self.lang, pick.key), ok=False)

    def _hide(self) -> None:
        self._run(lambda: [am.set_hidden(self.store, self.actor, i) for i in self._chosen()])

    def _merge(self) -> None:
        def act() -> None:
            chosen = self._chosen(two=True)
            am.merge_assets(self.store, self.actor, chosen[0], chosen[1:])

        self._run(act)

    def _save(self) -> None:
        def act() -> None:
            chosen = self._chosen()
            am.edit_asset(
                self.store,
                self.actor,
                chosen[0],
                {"name": _text(self.edit_name.value), "category": self.edit_category.value},
            )

        self._run(act)

    def _unhide(self) -> None:
        def act() -> None:
            if self.hidden.value is None:
                raise _Pick()
            am.set_hidden(self.store, self.actor, str(self.hidden.value), hidden=False)

        self._run(act)

    def _chosen(self, two: bool = False) -> list[str]:
        chosen = [str(v) for v in (self.active.value or ())]
        if len(chosen) < (2 if two else 1):
            raise _Pick("assets_ui_pick_two" if two else "assets_ui_pick")
        return chosen

    def refresh(self) -> None:
        org_names = {o.id: o.name for o in self.store.list(Organisation)}
        everything = self.store.list(am.Asset)

        def label(a: am.Asset) -> str:
            holder = am.holder_name(a, org_names, {})
            extra = f" · {holder}" if holder else ""
            return f"[{a.category.label(self.lang)}] {a.name}{extra}"

        active = [(label(a), a.id) for a in everything if a.status == am.AssetStatus.new]
        hidden = [(label(a), a.id) for a in everything if a.status == am.AssetStatus.hidden]
        keep = [v for v in self.active.value if v in {i for _, i in active}]
        self.active.options = active
        self.active.value = tuple(keep)
        self.hidden.options = hidden
        self.hidden.value = None


class _Pick(Exception):
    """The facilitator pressed a button before choosing what it applies to."""

    def __init__(self, key: str = "assets_ui_pick") -> None:
        super().__init__(key)
        self.key = key


# -- projector -------------------------------------------------------------------------------


class ProjectorView(View):
    """The room's screen: headline counts, the network map and the assets by category."""

    def __init__(self, store: Store, lang: Lang = "ko") -> None:
        self.store, self.lang = store, lang
        self.headline = w.HTML()
        self.map = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.assets = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.widget = w.VBox([self.headline, self.map, self.assets])
        self.drawn: str | None = None
        self.refresh()

    def refresh(self) -> None:
        """Redraw when the assets or the network changed (the live layer calls this on
        every store change; drawing two figures is the costly part, so skip it otherwise)."""
        from separ.figures.assets import assets_by_category, network_map

        g = net.store_graph(self.store)
        active = am.active_assets(self.store)
        drawn = repr(
            (active, sorted(g.nodes(data=True), key=str), sorted(g.edges(data=True), key=str))
        )
        if drawn == self.drawn:
            return
        self.drawn = drawn
        self.headline.value = (
            '<h2 style="font-size:2em">'
            + html.escape(
                say(
                    self.lang,
                    "assets_ui_projector",
                    n=len(active),
                    orgs=len(g),
                    ties=g.number_of_edges(),
                )
            )
            + "</h2>"
        )
        self.map.value = _png(network_map(g, self.lang))
        self.assets.value = _png(assets_by_category(active, self.lang))


def _png(fig: Figure, dpi: int = 90) -> bytes:
    return figure_png(fig, dpi)


# -- the stage page ----------------------------------------------------------------------------

add_messages(
    {
        "assets_page_curate": {"ko": "자산 정리", "en": "Curate assets"},
        "assets_page_table": {"ko": "자산 목록과 분류", "en": "Assets by category"},
        "assets_page_network": {"ko": "관계망", "en": "Network map"},
        "assets_page_coverage": {"ko": "포괄률·가입 권유", "en": "Coverage and outreach"},
        "assets_page_change": {"ko": "워크숍 전후 변화", "en": "Before and after"},
        "assets_page_surveys": {"ko": "실태조사 표", "en": "Survey tables"},
        "assets_page_outreach": {"ko": "가입을 권할 조직", "en": "Organisations to invite"},
        "assets_page_org": {"ko": "조직", "en": "Organisation"},
        "assets_page_checks": {"ko": "숫자 점검", "en": "Checks of the numbers"},
        "assets_page_no_checks": {"ko": "맞지 않는 숫자가 없습니다.", "en": "All numbers agree."},
    }
)


def _lines(items: list[str], lang: Lang, empty_key: str) -> w.HTML:
    if not items:
        return w.HTML(_para(say(lang, empty_key)))
    return w.HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


class AssetsPage(View):
    """Workbook 02 as an app: curation with the count that follows the phones, then the
    asset table, network, coverage, change and survey sections as tabs."""

    def __init__(self, store: Store, actor: Actor, lang: Lang) -> None:
        from separ.ui.base import LiveButton, sections

        self.store, self.actor, self.lang = store, actor, lang
        self.curation = CurationView(store, actor, lang)
        self.count = w.HTML()
        self.live = LiveButton(store, actor, "assets", lang=lang)
        t: Callable[[str], str] = lambda key: say(lang, key)  # noqa: E731
        self.widget = w.VBox(
            [
                w.HBox(
                    [self.count, self.live],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                sections(
                    [
                        (t("assets_page_curate"), self.curation.widget),
                        (t("assets_page_table"), self._assets),
                        (t("assets_page_network"), self._network),
                        (t("assets_page_coverage"), self._coverage),
                        (t("assets_page_change"), self._change),
                        (t("assets_page_surveys"), self._surveys),
                    ]
                ),
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        g = net.store_graph(self.store)
        self.count.value = (
            "<b>"
            + html.escape(
                say(
                    self.lang,
                    "assets_ui_projector",
                    n=len(am.active_assets(self.store)),
                    orgs=len(g),
                    ties=g.number_of_edges(),
                )
            )
            + "</b>"
        )
        self.curation.refresh()

    def _assets(self) -> w.Widget:
        from separ.figures.assets import assets_by_category
        from separ.ui.base import figure_widget, table

        return w.VBox(
            [
                figure_widget(assets_by_category(am.active_assets(self.store), self.lang)),
                table(am.assets_frame(self.store, self.lang), self.lang),
            ]
        )

    def _network(self) -> w.Widget:
        from separ.figures.assets import network_map
        from separ.ui.base import figure_widget, table

        g = net.store_graph(self.store)
        return w.VBox(
            [
                figure_widget(network_map(g, self.lang)),
                table(net.metrics_frame(g, self.lang), self.lang),
            ]
        )

    def _coverage(self) -> w.Widget:
        from separ.figures.assets import orgs_by_type_area, type_area_frame
        from separ.network import OrgCount
        from separ.ui.base import figure_widget, rows_html, table

        counts = self.store.list(OrgCount)
        invite = rows_html(
            [say(self.lang, "assets_page_org")],
            [(o.name,) for o in net.outreach(self.store)],
            self.lang,
            caption=say(self.lang, "assets_page_outreach"),
        )
        return w.VBox(
            [
                table(net.coverage_frame(net.coverage(self.store), self.lang), self.lang),
                w.HTML(invite),
                figure_widget(orgs_by_type_area(counts, self.lang)),
                table(type_area_frame(counts, self.lang), self.lang),
                w.HTML(f"<h4>{html.escape(say(self.lang, 'assets_page_checks'))}</h4>"),
                _lines(net.check_counts(self.store, self.lang), self.lang, "assets_page_no_checks"),
            ]
        )

    def _change(self) -> w.Widget:
        from separ.ui.base import table

        return table(net.change_frame(net.series_change(self.store), self.lang), self.lang)

    def _surveys(self) -> w.Widget:
        from separ.surveys import check_all, summaries
        from separ.ui.base import table

        parts: list[w.Widget] = [
            table(df, self.lang, caption=caption)
            for caption, df in summaries(self.store, self.lang).items()
        ]
        parts.append(w.HTML(f"<h4>{html.escape(say(self.lang, 'assets_page_checks'))}</h4>"))
        parts.append(
            _lines(
                [f.message(self.lang) for f in check_all(self.store)],
                self.lang,
                "assets_page_no_checks",
            )
        )
        return w.VBox(parts)


def assets_page(store: Store, actor: Actor, lang: Lang | None = None) -> w.Widget:
    """The stage page of workbook 02, following the store (assets arrive from phones)."""
    from separ.ui.base import follow, status_html
    from separ.ui.mount import Mounted

    chosen: Lang = lang or store.workshop().lang
    if not actor.facilitator:
        return w.HTML(status_html(say(chosen, "facilitator_only"), ok=False))
    return follow(store, Mounted(AssetsPage(store, actor, chosen)))
