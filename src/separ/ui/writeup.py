"""The report's write-up editor: the facilitator rewrites separ's drafts in workbook 05.

One tab per prose part (제출문, 요약, 서론, 결론 및 제언, 참고문헌), each a textarea with
the text the report prints now -- separ's draft from the store until the facilitator saves
an edit -- and two buttons: save, and back to the draft. The edit is kept by
:func:`separ.writeup.save_text` (facilitators only, one transaction), so every later
export prints it. A thin view: what a part says, and what counts as an edit, is the
domain's.

The editor does not follow the store while open: a refresh would overwrite what the
facilitator is typing. It re-reads after its own saves and when the language changes.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from separ import writeup as wu
from separ.actors import Actor
from separ.i18n import Lang, add_messages
from separ.report import prose  # noqa: F401  # registers the parts' titles (report_prose_*)
from separ.store import Store
from separ.ui.base import ActionView, heading, say

add_messages(
    {
        "writeup_title": {"ko": "보고서 문안 고치기", "en": "Edit the report's text"},
        "writeup_note": {
            "ko": "separ가 워크숍 기록으로 초안을 만들었습니다. 고쳐서 저장하면 이후 내보내는 "
            "보고서마다 고친 문안이 들어갑니다. 문단은 빈 줄로 나눕니다.",
            "en": "separ drafted these from the workshop's records. Save an edit and every later "
            "export prints it. Separate paragraphs with an empty line.",
        },
        "writeup_save": {"ko": "저장", "en": "Save"},
        "writeup_revert": {"ko": "초안으로 되돌리기", "en": "Back to the draft"},
        "writeup_is_draft": {
            "ko": "지금 문안: separ 초안 (기록이 바뀌면 함께 바뀝니다)",
            "en": "Now: separ's draft (follows the records)",
        },
        "writeup_is_edited": {
            "ko": "지금 문안: 진행자가 고친 문안",
            "en": "Now: the facilitator's own text",
        },
        "writeup_saved": {"ko": "저장했습니다: {part}", "en": "Saved: {part}"},
        "writeup_same_as_draft": {
            "ko": "초안과 같으므로 초안을 그대로 씁니다: {part}",
            "en": "Same as the draft, so the draft stays: {part}",
        },
        "writeup_reverted": {
            "ko": "초안으로 되돌렸습니다: {part}",
            "en": "Back to the draft: {part}",
        },
    }
)


def part_title(part: wu.Part, lang: Lang) -> str:
    """The part's title as the report prints it (제출문, 요약 …)."""
    return say(lang, f"report_prose_{part}")


class WriteupEditor(ActionView):
    """The five prose parts in tabs; ``on_change`` hears every save with the part saved
    (the report preview shows it again)."""

    def __init__(
        self,
        store: Store,
        actor: Actor,
        lang: Lang,
        on_change: Callable[[wu.Part], None] | None = None,
    ) -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self.on_change = on_change
        if self._refuse():
            return
        self.status = widgets.HTML()
        self.texts = {
            part: widgets.Textarea(layout=widgets.Layout(width="100%", height="240px"))
            for part in wu.PARTS
        }
        self.states = {part: widgets.HTML() for part in wu.PARTS}
        self.saves = {
            part: widgets.Button(icon="save", button_style="primary") for part in wu.PARTS
        }
        self.reverts = {part: widgets.Button(icon="undo") for part in wu.PARTS}
        for part in wu.PARTS:
            self.saves[part].on_click(lambda _b, part=part: self.save(part))
            self.reverts[part].on_click(lambda _b, part=part: self.revert(part))
        self.tabs = widgets.Tab(
            children=[
                widgets.VBox(
                    [
                        self.states[part],
                        self.texts[part],
                        widgets.HBox([self.saves[part], self.reverts[part]]),
                    ]
                )
                for part in wu.PARTS
            ]
        )
        self.head = widgets.HTML()
        super().__init__([self.head, self.tabs, self.status])
        self.refresh()

    def set_lang(self, lang: Lang) -> None:
        """Edit the other language's texts (each language has its own wording)."""
        self.lang = lang
        self.status.value = ""
        self.refresh()

    def refresh(self) -> None:
        """Labels in the current language; each textarea shows what the report prints."""
        lang = self.lang
        self.head.value = heading(say(lang, "writeup_title"), say(lang, "writeup_note")).value
        self.tabs.titles = [part_title(part, lang) for part in wu.PARTS]
        for part in wu.PARTS:
            self.texts[part].value = wu.text_of(self.store, part, lang)
            edited = wu.edited(self.store, part, lang) is not None
            state = say(lang, "writeup_is_edited" if edited else "writeup_is_draft")
            self.states[part].value = f"<small>{html.escape(state)}</small>"
            self.saves[part].description = say(lang, "writeup_save")
            self.reverts[part].description = say(lang, "writeup_revert")
            self.reverts[part].disabled = not edited

    def save(self, part: wu.Part) -> bool:
        """Keep the textarea as the part's text. A text equal to the draft is no edit:
        the part keeps following the records instead of freezing today's draft."""
        lang = self.lang
        wanted = self.texts[part].value.strip()
        same = wanted == wu.draft(self.store, part, lang).strip()
        done = self._run(
            lambda: wu.save_text(self.store, self.actor, part, lang, "" if same else wanted),
            say(
                lang,
                "writeup_same_as_draft" if same else "writeup_saved",
                part=part_title(part, lang),
            ),
        )
        if done:
            self._changed(part)
        return done

    def revert(self, part: wu.Part) -> bool:
        """Drop the facilitator's text: the report prints separ's draft again."""
        lang = self.lang
        done = self._run(
            lambda: wu.save_text(self.store, self.actor, part, lang, ""),
            say(lang, "writeup_reverted", part=part_title(part, lang)),
        )
        if done:
            self._changed(part)
        return done

    def _changed(self, part: wu.Part) -> None:
        if self.on_change is not None:
            self.on_change(part)


def with_writeup(view: Any) -> widgets.Widget:
    """The report page with the editor above the report: ``view`` is a
    :class:`separ.ui.report.ReportView`; the editor follows its language switch and a
    save shows the saved part in the report below."""
    editor = WriteupEditor(
        view.store, view.actor, view.lang, on_change=lambda part: view.refresh([part])
    )
    fold = widgets.Accordion(children=[editor], titles=[say(view.lang, "writeup_title")])

    def switch(_change: object) -> None:
        editor.set_lang(view.lang)
        fold.titles = [say(view.lang, "writeup_title")]

    view.lang_choice.observe(switch, names="value")
    return widgets.VBox([fold, view])
