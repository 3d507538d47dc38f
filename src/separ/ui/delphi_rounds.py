"""The Delphi round comparison on the follow-up page (workbook 06): the same table as
``separ delphi compare`` and the report, for a study and two rounds the facilitator picks.

One table per set of panellists -- everyone, then each group (자치구, 서울시 …) -- with
n, mean, median, IQR and CV in each round, the change of the mean (▼ where it fell:
the panel thought less of the item on reflection), convergence (IQR not wider) and the
keep/drop decision by the study's thresholds. The numbers and the rule are
:func:`separ.delphi.compare_rounds`'s; this view only chooses and shows.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

import ipywidgets as widgets

from separ import delphi as dp
from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages
from separ.store import Store
from separ.ui.base import ActionView, follow, heading, say, show_error, table

add_messages(
    {
        "delphi_rounds_tab": {"ko": "델파이 라운드 비교", "en": "Delphi rounds compared"},
        "delphi_rounds_note": {
            "ko": "▼ 평균이 내려간 문항. 수렴: 사분위범위(IQR)가 넓어지지 않음. 판정: 뒤 라운드의 "
            "적합 응답 비율 {share}% 이상, 중요도 중앙값 {median} 이상이면 유지.",
            "en": "▼ the mean fell. Converged: the interquartile range (IQR) did not widen. "
            "Decision: keep when, in the later round, at least {share}% judged it suitable "
            "and the median importance is {median} or more.",
        },
        "delphi_rounds_study": {"ko": "조사", "en": "Study"},
        "delphi_rounds_before": {"ko": "앞 라운드", "en": "Earlier round"},
        "delphi_rounds_after": {"ko": "뒤 라운드", "en": "Later round"},
        "delphi_rounds_round": {"ko": "{n}차", "en": "round {n}"},
        "delphi_rounds_none": {
            "ko": "델파이 조사가 아직 없습니다.",
            "en": "There is no Delphi study yet.",
        },
        "delphi_rounds_everyone": {"ko": "전체", "en": "Everyone"},
        "delphi_rounds_group": {"ko": "집단: {group}", "en": "Group: {group}"},
        "delphi_rounds_fell": {
            "ko": "▼ 평균이 내려간 문항 {n}개: {items}",
            "en": "▼ {n} items with a lower mean: {items}",
        },
        "delphi_rounds_none_fell": {
            "ko": "평균이 내려간 문항이 없습니다.",
            "en": "No item's mean fell.",
        },
        "delphi_rounds_items": {"ko": "문항", "en": "Items"},
    }
)


class DelphiRoundsView(ActionView):
    """Choose a study and two rounds; see the comparison per group. Follows the store, so
    answers arriving from phones in the later round show as they come."""

    def __init__(self, store: Store, actor: Actor, lang: Lang) -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if self._refuse():
            return
        wide = widgets.Layout(width="auto", min_width="240px")
        self.study = widgets.Dropdown(description=say(lang, "delphi_rounds_study"), layout=wide)
        self.before = widgets.Dropdown(description=say(lang, "delphi_rounds_before"))
        self.after = widgets.Dropdown(description=say(lang, "delphi_rounds_after"))
        self.note = widgets.HTML()
        self.tables = widgets.VBox()
        self._quiet = False
        for choice in (self.study, self.before, self.after):
            choice.observe(lambda _c: self._changed(), names="value")
        super().__init__(
            [
                heading(say(lang, "delphi_rounds_tab")),
                self.study,
                widgets.HBox([self.before, self.after]),
                self.note,
                self.status,
                self.tables,
            ]
        )
        self.refresh()

    def _changed(self) -> None:
        if not self._quiet:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the studies and their rounds (keeping the choices that still exist),
        then show the comparison."""
        lang = self.lang
        self._quiet = True
        try:
            found = dp.studies(self.store)
            chosen = self.study.value
            self.study.options = [(s.title, s.id) for s in found]
            ids = [s.id for s in found]
            self.study.value = chosen if chosen in ids else (ids[0] if ids else None)
            if not found:
                self.note.value = ""
                self.status.value = ""
                self.tables.children = (widgets.HTML(html.escape(say(lang, "delphi_rounds_none"))),)
                return
            panel = dp.load_panel(self.store, self.study.value)
            answered = sorted({r.round for r in panel.responses})
            rounds = [(say(lang, "delphi_rounds_round", n=n), n) for n in answered]
            before, after = self.before.value, self.after.value
            self.before.options = rounds[:-1] if len(rounds) > 1 else rounds
            self.after.options = rounds[1:] if len(rounds) > 1 else rounds
            if after not in answered[1:]:
                after = answered[-1] if answered else None
            if before not in answered or (after is not None and before >= after):
                earlier = [n for n in answered if after is not None and n < after]
                before = earlier[-1] if earlier else None
            self.before.value, self.after.value = before, after
        finally:
            self._quiet = False
        self._show(panel)

    def _show(self, panel: dp.Panel) -> None:
        lang = self.lang
        study = panel.study
        self.note.value = (
            "<small>"
            + html.escape(
                say(
                    lang,
                    "delphi_rounds_note",
                    share=f"{study.min_share * 100:g}",
                    median=f"{study.min_median:g}",
                )
            )
            + "</small>"
        )
        try:
            comparison = dp.compare_rounds(panel, self.before.value, self.after.value)
        except SeparError as exc:
            show_error(self.status, exc, lang)
            self.tables.children = ()
            return
        self.status.value = ""
        group_head = dp.COMPARE_HEAD[lang][1]
        shown: list[widgets.Widget] = []
        for group in comparison.groups:
            part = dataclasses.replace(
                comparison, groups=(group,), rows=tuple(comparison.of_group(group))
            )
            title = (
                say(lang, "delphi_rounds_everyone")
                if group is None
                else say(lang, "delphi_rounds_group", group=group)
            )
            fell = comparison.fell(group)
            line = (
                say(lang, "delphi_rounds_fell", n=len(fell), items=", ".join(r.code for r in fell))
                if fell
                else say(lang, "delphi_rounds_none_fell")
            )
            shown += [
                table(dp.comparison_frame(part, lang), lang, caption=title, hide=[group_head]),
                widgets.HTML(f"<p style='margin:2px 0 12px'>{html.escape(line)}</p>"),
            ]
        items = " · ".join(f"{i.code} {i.text}" for i in panel.items_in(comparison.after))
        shown.append(
            widgets.HTML(
                f"<small>{html.escape(say(lang, 'delphi_rounds_items'))}: {html.escape(items)}"
                "</small>"
            )
        )
        self.tables.children = tuple(shown)


def rounds_view(store: Store, actor: Actor, lang: Lang) -> DelphiRoundsView:
    """The comparison panel, following the store."""
    view = DelphiRoundsView(store, actor, lang)
    return follow(store, view) if actor.facilitator else view


def rounds_section(
    store: Store, actor: Actor, lang: Lang
) -> tuple[str, Callable[[], widgets.Widget]]:
    """The follow-up page's tab: its title and a builder (built when first opened)."""
    return say(lang, "delphi_rounds_tab"), lambda: rounds_view(store, actor, lang)
