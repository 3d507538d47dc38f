"""The roster on the facilitator's dashboard: cards, duplicates, people without an
organisation, and roster-only polls.

A typed name is no proof of who someone is (:func:`separ.tokens.join`), so the facilitator
needs, during the session, the ways out the domain offers: show one listed person's card
QR on the laptop (a lost or forgotten card), revoke a card, see people who share a name
and merge them once checked with the person, see who has no organisation (their phone's
tie survey stays closed: a tie starts at one's own organisation) and limit a named poll
to the roster. Every button calls the domain function, which checks the facilitator's
rights again; this panel only shows how it went.
"""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from separ import duplicates, polls, tokens
from separ.actors import Actor
from separ.cards import qr_svg_uri
from separ.errors import SeparError
from separ.i18n import Lang, add_messages
from separ.model import Organisation, Participant
from separ.store import Store
from separ.ui.base import (
    ActionView,
    follow,
    heading,
    rows_html,
    say,
    show_error,
    show_status,
    tap_small,
)

add_messages(
    {
        "roster_h_section": {"ko": "명단 · 카드 · 중복", "en": "Roster, cards, duplicates"},
        "roster_h_cards": {"ko": "명단 카드", "en": "Roster cards"},
        "roster_cards_note": {
            "ko": "카드의 QR 코드로 참여하면 그 사람으로 참여합니다. 카드를 잃어버렸거나 두고 온 "
            "사람에게는 새 카드를 발급해 이 화면의 QR을 찍게 하세요(예전 카드는 더 이상 "
            "쓸 수 없습니다). ✓ 표시: 카드가 발급된 사람.",
            "en": "A card's QR code joins a phone as that person. For a lost or forgotten card, "
            "issue a new one and let the person scan the QR on this screen (the old card "
            "stops working). ✓: the person has a card.",
        },
        "roster_person": {"ko": "명단의 사람", "en": "Listed person"},
        "roster_no_listed": {"ko": "(명단에 사람이 없습니다)", "en": "(nobody is listed)"},
        "roster_show_qr": {
            "ko": "새 카드 발급하고 QR 보이기",
            "en": "Issue a new card and show its QR",
        },
        "roster_revoke": {"ko": "카드 취소", "en": "Cancel the card"},
        "roster_hide_qr": {"ko": "QR 감추기", "en": "Hide the QR"},
        "roster_qr_alt": {"ko": "{name} 님의 참여 QR 코드", "en": "{name}'s joining QR code"},
        "roster_qr_for": {"ko": "{name} 님의 새 카드", "en": "New card of {name}"},
        "roster_reissued": {
            "ko": "{name} 님의 새 카드를 발급했습니다. 예전 카드와 그 카드로 참여한 휴대폰은 더 "
            "이상 쓸 수 없습니다.",
            "en": "Issued a new card for {name}; the old card and the phones that joined with it "
            "no longer work.",
        },
        "roster_revoked": {
            "ko": "{name} 님의 카드를 취소했습니다. 그 카드로 참여한 휴대폰도 로그아웃됩니다.",
            "en": "Cancelled {name}'s card; the phones that joined with it are signed out.",
        },
        "roster_no_join_url": {
            "ko": "참여 주소를 알 수 없어 QR을 만들 수 없습니다: separ serve로 연 대시보드에서 "
            "쓰세요",
            "en": "the joining address is unknown, so no QR can be made: use the dashboard "
            "opened by separ serve",
        },
        "roster_h_same": {"ko": "이름이 같은 참여자", "en": "Participants with the same name"},
        "roster_same_note": {
            "ko": "같은 사람이 두 번 참여했거나, 명단의 사람이 이름을 입력해 참여한 경우입니다. "
            "본인에게 확인한 뒤 남길 기록을 골라 합치세요. 투표는 투표마다 나중 것 하나만 "
            "남고, 출석과 기록은 모두 남습니다.",
            "en": "The same person joined twice, or a listed person joined by typing their name. "
            "Check with the person, then choose the record to keep and merge: one ballot "
            "per poll stays (the later), all attendance and records stay.",
        },
        "roster_no_same": {
            "ko": "이름이 같은 참여자가 없습니다.",
            "en": "No two participants share a name.",
        },
        "roster_keep": {"ko": "남길 기록", "en": "Keep"},
        "roster_drop": {"ko": "합칠 기록", "en": "Merge in"},
        "roster_merge": {"ko": "합치기…", "en": "Merge…"},
        "roster_confirm": {"ko": "합치기 확인", "en": "Confirm the merge"},
        "roster_cancel": {"ko": "취소", "en": "Cancel"},
        "roster_confirm_text": {
            "ko": "{drop}의 기록을 {keep}(으)로 옮기고 {drop}을(를) 지웁니다. 되돌릴 수 없습니다.",
            "en": "Moves the records of {drop} to {keep} and deletes {drop}. This cannot be "
            "undone.",
        },
        "roster_merged": {
            "ko": "합쳤습니다: 옮긴 기록 {moved}건, 지운 중복 투표지 {dropped}장.",
            "en": "Merged: {moved} records moved, {dropped} duplicate ballots removed.",
        },
        "roster_h_no_org": {
            "ko": "조직이 없는 참여자",
            "en": "Participants without an organisation",
        },
        "roster_no_org_note": {
            "ko": "이 사람들의 휴대폰에서는 관계 조사가 닫혀 있습니다(관계는 자기 조직에서 "
            "시작합니다). 명단 카드로 다시 참여하게 하거나, 명단의 기록으로 합치세요.",
            "en": "The tie survey is closed on these people's phones (a tie starts at one's own "
            "organisation). Let them join again with their roster card, or merge them into "
            "their listed record.",
        },
        "roster_h_polls": {"ko": "명단 한정 투표", "en": "Roster-only polls"},
        "roster_polls_note": {
            "ko": "켜면 명단에 있는 사람만 이 투표를 할 수 있습니다(기명 투표만).",
            "en": "When on, only listed participants vote in this poll (named polls only).",
        },
        "roster_poll": {"ko": "투표", "en": "Poll"},
        "roster_no_polls": {"ko": "(기명 투표가 없습니다)", "en": "(no named polls)"},
        "roster_only": {"ko": "명단에 있는 사람만", "en": "Listed people only"},
        "roster_save": {"ko": "저장", "en": "Save"},
        "roster_limited": {
            "ko": "이제 명단에 있는 사람만 투표할 수 있습니다: {title}",
            "en": "Only listed people vote now in: {title}",
        },
        "roster_open_to_all": {
            "ko": "이제 참여한 누구나 투표할 수 있습니다: {title}",
            "en": "Everyone who joined votes now in: {title}",
        },
        "roster_col_no": {"ko": "번호", "en": "No."},
        "roster_col_name": {"ko": "이름", "en": "Name"},
        "roster_col_org": {"ko": "조직", "en": "Organisation"},
        "roster_col_how": {"ko": "어떻게 들어왔나", "en": "How they came in"},
        "roster_col_card": {"ko": "카드", "en": "Card"},
        "roster_listed": {"ko": "명단", "en": "roster"},
        "roster_typed": {"ko": "휴대폰에서 이름 입력", "en": "typed a name on a phone"},
    }
)

NONE = "__none__"


def _qr_html(name: str, url: str, lang: Lang) -> str:
    """The card's QR, large enough to scan from the laptop's screen at arm's length."""
    alt = html.escape(say(lang, "roster_qr_alt", name=name))
    return (
        f"<div style='text-align:center'><p style='font-size:18px;margin:4px 0'>"
        f"<b>{html.escape(say(lang, 'roster_qr_for', name=name))}</b></p>"
        f"<img alt='{alt}' src='{qr_svg_uri(url)}' style='width:320px;height:320px'></div>"
    )


class RosterPanel(ActionView):
    """The dashboard's roster section (facilitators only)."""

    def __init__(
        self, store: Store, actor: Actor, lang: Lang | None = None, join_url: str | None = None
    ) -> None:
        self.store, self.actor = store, actor
        self.lang = lang or store.workshop().lang
        if self._refuse():
            return
        self.join_url = join_url or os.environ.get("SEPAR_PARTICIPANT_URL")
        lang = self.lang

        def wide() -> widgets.Layout:  # one each: a layout shared is hidden for all
            return widgets.Layout(width="100%", max_width="440px")

        self.status = widgets.HTML()
        self.person = widgets.Dropdown(
            description=say(lang, "roster_person"),
            layout=wide(),
            style={"description_width": "initial"},
        )
        self.show_qr = widgets.Button(
            description=say(lang, "roster_show_qr"), button_style="primary", layout=tap_small()
        )
        self.revoke = widgets.Button(
            description=say(lang, "roster_revoke"), button_style="danger", layout=tap_small()
        )
        self.hide_qr = widgets.Button(description=say(lang, "roster_hide_qr"), layout=tap_small())
        self.qr = widgets.HTML()
        self.same = widgets.HTML()
        self.keep = widgets.Dropdown(description=say(lang, "roster_keep"), layout=wide())
        self.drop = widgets.Dropdown(description=say(lang, "roster_drop"), layout=wide())
        self.merge = widgets.Button(description=say(lang, "roster_merge"), layout=tap_small())
        self.confirm_text = widgets.HTML()
        self.confirm = widgets.Button(
            description=say(lang, "roster_confirm"), button_style="danger", layout=tap_small()
        )
        self.cancel = widgets.Button(description=say(lang, "roster_cancel"), layout=tap_small())
        self.confirm_box = widgets.VBox(
            [self.confirm_text, widgets.HBox([self.confirm, self.cancel])]
        )
        self.merge_box = widgets.VBox(
            [self.keep, self.drop, widgets.HBox([self.merge]), self.confirm_box]
        )
        self.no_org = widgets.HTML()
        self.poll = widgets.Dropdown(description=say(lang, "roster_poll"), layout=wide())
        self.only = widgets.Checkbox(description=say(lang, "roster_only"))
        self.save = widgets.Button(description=say(lang, "roster_save"), layout=tap_small())
        self._rule_for: object = None
        self.show_qr.on_click(lambda _b: self.issue_card())
        self.revoke.on_click(lambda _b: self.cancel_card())
        self.hide_qr.on_click(lambda _b: self._hide_qr())
        self.merge.on_click(lambda _b: self.ask_merge())
        self.confirm.on_click(lambda _b: self.do_merge())
        self.cancel.on_click(lambda _b: self._close_confirm())
        self.save.on_click(lambda _b: self.save_rule())
        self.poll.observe(lambda _c: self._show_rule(), "value")
        super().__init__(
            [
                self.status,
                heading(say(lang, "roster_h_cards"), say(lang, "roster_cards_note")),
                self.person,
                widgets.HBox(
                    [self.show_qr, self.revoke, self.hide_qr],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.qr,
                heading(say(lang, "roster_h_same"), say(lang, "roster_same_note")),
                self.same,
                self.merge_box,
                heading(say(lang, "roster_h_no_org"), say(lang, "roster_no_org_note")),
                self.no_org,
                heading(say(lang, "roster_h_polls"), say(lang, "roster_polls_note")),
                self.poll,
                widgets.HBox([self.only, self.save]),
            ]
        )
        self._close_confirm()
        self._hide_qr()
        self.refresh()

    # ---- what it shows -------------------------------------------------------------------

    def _orgs(self) -> dict[str, str]:
        return {o.id: o.name for o in self.store.list(Organisation)}

    def _label(self, person: Participant, orgs: dict[str, str], number: int) -> str:
        org = orgs.get(person.organisation_id or "", "-")
        how = say(self.lang, "roster_listed" if tokens.listed(person) else "roster_typed")
        return f"{number}. {person.name} ({org}, {how})"

    def refresh(self) -> None:
        """Everything from the store; the person and poll chosen stay chosen."""
        lang, orgs = self.lang, self._orgs()
        people = sorted(
            (p for p in self.store.list(Participant) if tokens.listed(p)),
            key=lambda p: (p.name, orgs.get(p.organisation_id or "", "")),
        )
        holders = {
            t.participant_id
            for t in self.store.list(tokens.AccessToken, role=tokens.TokenRole.card)
        }
        options = [
            (
                f"{p.name} ({orgs.get(p.organisation_id or '', '-')})"
                + (" ✓" if p.id in holders else ""),
                p.id,
            )
            for p in people
        ]
        self._set_options(self.person, options or [(say(lang, "roster_no_listed"), NONE)])
        self._show_same(orgs)
        heads = [say(lang, k) for k in ("roster_col_name", "roster_col_how")]
        self.no_org.value = rows_html(
            heads,
            [
                (p.name, say(lang, "roster_listed" if tokens.listed(p) else "roster_typed"))
                for p in duplicates.without_organisation(self.store)
            ],
            lang,
        )
        named = [p for p in self.store.list(polls.Poll) if not p.anonymous]
        self._set_options(
            self.poll, [(p.title, p.id) for p in named] or [(say(lang, "roster_no_polls"), NONE)]
        )
        if self.poll.value != self._rule_for:  # an unsaved tick survives a phone's write
            self._show_rule()

    def _set_options(self, dropdown: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
        chosen = dropdown.value
        if list(dropdown.options) != options:
            dropdown.options = options
        ids = [value for _, value in options]
        dropdown.value = chosen if chosen in ids else ids[0]

    def _show_same(self, orgs: dict[str, str]) -> None:
        lang = self.lang
        groups = duplicates.same_name_groups(self.store)
        self.merge_box.layout.display = None if groups else "none"
        if not groups:
            self.same.value = f"<p>{html.escape(say(lang, 'roster_no_same'))}</p>"
            self._set_options(self.keep, [("-", NONE)])
            self._set_options(self.drop, [("-", NONE)])
            return
        heads = [
            say(lang, k)
            for k in ("roster_col_no", "roster_col_name", "roster_col_org", "roster_col_how")
        ]
        rows, options, number = [], [], 0
        for group in groups:
            for person in group:
                number += 1
                rows.append(
                    (
                        number,
                        person.name,
                        orgs.get(person.organisation_id or "", ""),
                        say(lang, "roster_listed" if tokens.listed(person) else "roster_typed"),
                    )
                )
                options.append((self._label(person, orgs, number), person.id))
        self.same.value = rows_html(heads, rows, lang, numeric=[0])
        self._set_options(self.keep, options)
        self._set_options(self.drop, options)
        if self.drop.value == self.keep.value and len(options) > 1:
            self.drop.value = next(v for _, v in options if v != self.keep.value)

    def _show_rule(self) -> None:
        poll = self._rule_for = self.poll.value
        self.only.value = poll not in (NONE, None) and polls.roster_only(self.store, poll)

    def _hide_qr(self) -> None:
        self.qr.value = ""
        self.hide_qr.layout.display = "none"

    def _close_confirm(self) -> None:
        self.confirm_text.value = ""
        self.confirm_box.layout.display = "none"

    def _chosen_person(self) -> Participant | None:
        chosen = self.person.value
        found = self.store.list(Participant, id=chosen) if chosen not in (NONE, None) else []
        return found[0] if found else None

    # ---- actions -------------------------------------------------------------------------

    def issue_card(self) -> bool:
        """A new card for the chosen person, its QR shown large (the code exists only now:
        the store keeps a hash, so an earlier card's QR cannot be shown again)."""
        person = self._chosen_person()
        if person is None:
            return False
        if not self.join_url:
            show_error(self.status, SeparError("roster_no_join_url"), self.lang)
            return False
        join_url = self.join_url
        codes: list[str] = []
        if not self._run(
            lambda: codes.append(tokens.reissue_card(self.store, self.actor, person.id)),
            say(self.lang, "roster_reissued", name=person.name),
        ):
            return False
        self.qr.value = _qr_html(person.name, tokens.card_url(join_url, codes[0]), self.lang)
        self.hide_qr.layout.display = None
        return True

    def cancel_card(self) -> bool:
        person = self._chosen_person()
        if person is None:
            return False
        self._hide_qr()
        return self._run(
            lambda: tokens.revoke_card(self.store, self.actor, person.id),
            say(self.lang, "roster_revoked", name=person.name),
        )

    def ask_merge(self) -> bool:
        """The confirmation first: a merge deletes one record and cannot be undone."""
        keep, drop = self.keep.value, self.drop.value
        if keep in (NONE, None) or drop in (NONE, None):
            return False
        if keep == drop:
            show_error(self.status, SeparError("merge_same"), self.lang)
            return False
        labels = dict((v, k) for k, v in self.keep.options)
        warning = say(self.lang, "roster_confirm_text", keep=labels[keep], drop=labels[drop])
        self.confirm_text.value = f"<p style='color:#b00020'><b>{html.escape(warning)}</b></p>"
        self.confirm_box.layout.display = None
        return True

    def do_merge(self) -> bool:
        keep, drop = str(self.keep.value), str(self.drop.value)
        self._close_confirm()
        try:
            report = duplicates.merge_participants(self.store, self.actor, keep, drop)
        except SeparError as exc:
            show_error(self.status, exc, self.lang)
            return False
        self.refresh()
        show_status(
            self.status,
            say(
                self.lang,
                "roster_merged",
                moved=sum(report.moved.values()),
                dropped=report.ballots_dropped,
            ),
            ok=True,
        )
        return True

    def save_rule(self) -> bool:
        poll = self.poll.value
        if poll in (NONE, None):
            return False
        limited = self.only.value is True
        title = dict((v, k) for k, v in self.poll.options)[poll]
        return self._run(
            lambda: polls.limit_to_roster(self.store, self.actor, str(poll), limited),
            say(self.lang, "roster_limited" if limited else "roster_open_to_all", title=title),
        )


def add_roster_section(
    accordion: widgets.Accordion, store: Store, actor: Actor, lang: Lang
) -> RosterPanel:
    """Append the panel to the dashboard's accordion, following the store (a phone that
    joins by typing a listed name shows up as a duplicate without a reload)."""
    panel: RosterPanel = follow(store, RosterPanel(store, actor, lang))
    accordion.children = (*accordion.children, panel)
    accordion.set_title(len(accordion.children) - 1, say(lang, "roster_h_section"))
    return panel
