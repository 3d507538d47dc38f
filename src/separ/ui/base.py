"""What every facilitator panel does after a click: call the domain, say how it went, refresh.

The domain function re-checks rights and values; the panel only shows its
:class:`~separ.errors.SeparError` in the workshop's language, or a confirmation.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang
from separ.store import Store


class ActionView(widgets.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    store: Store
    actor: Actor
    lang: Lang
    status: Any

    def _run(self, action: Callable[[], object], done: str) -> bool:
        """Run ``action``; show its error, or refresh and confirm with ``done``."""
        try:
            action()
        except SeparError as exc:
            self.status.value = (f"<p style='color:#b00020'>"
                                 f"{html.escape(exc.message(self.lang))}</p>")
            return False
        self.refresh()
        self.status.value = f"<p style='color:#1b6ca8'>{html.escape(done)}</p>"
        return True

    def _refuse(self) -> bool:
        """For a facilitator-only panel: show the refusal and build nothing else."""
        if self.actor.facilitator:
            return False
        super().__init__([widgets.HTML(
            f"<p>{html.escape(SeparError('facilitator_only').message(self.lang))}</p>")])
        return True

    def refresh(self) -> None:
        raise NotImplementedError
