"""Stage views that hold their widget tree in ``.widget`` (context, assets), as live widgets.

The live layer puts a widget in a page and calls its ``refresh()`` after every store
change; a view object is not a widget, so it is mounted in one that forwards ``refresh``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets


class Mounted(widgets.VBox):  # type: ignore[misc]
    """``view.widget`` as a widget whose ``refresh()`` re-reads through the view."""

    def __init__(self, view: Any) -> None:
        self.inner = view
        super().__init__([view.widget], layout=widgets.Layout(width="100%"))

    def refresh(self) -> None:
        self.inner.refresh()
