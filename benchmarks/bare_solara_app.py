"""The bare Solara page that ``live_load.py`` measures separ against.

The same vote a phone sees in separ, with nothing of separ: pandas imported (as the
participant server's neighbours are), five option toggles, "투표하기", and one ballot
row written to SQLite in a transaction, confirmed with a receipt code. Solara runs
this module once per connection, exactly as it runs separ's app.
"""

from __future__ import annotations

import os
import sqlite3
import uuid

import ipywidgets as widgets
import pandas  # noqa: F401 - the cost a real page carries

OPTIONS = [
    "공동 판로 개척",
    "사회적경제 교육",
    "공유 공간 마련",
    "지역 네트워크 모임",
    "청년 일자리",
]
DB = os.environ.get("BARE_SOLARA_DB", "bare-solara.db")

toggles = [widgets.ToggleButton(description=option) for option in OPTIONS]
button = widgets.Button(description="투표하기")
answer = widgets.HTML()


def vote(_button: object) -> None:
    code = uuid.uuid4().hex[:8]
    chosen = ",".join(t.description for t in toggles if t.value)
    with sqlite3.connect(DB, timeout=30) as db:
        db.execute("CREATE TABLE IF NOT EXISTS ballots (id TEXT PRIMARY KEY, choice TEXT)")
        db.execute("INSERT INTO ballots VALUES (?, ?)", (code, chosen))
    answer.value = f"<p>✔ 투표가 저장되었습니다. 확인번호 {code}</p>"


button.on_click(vote)
page = widgets.VBox([widgets.HTML("<h3>투표</h3>"), *toggles, button, answer])
