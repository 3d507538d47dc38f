"""What each live activity can run on: the boards, polls and Delphi studies of the store.

:func:`separ.tokens.set_live` checks the facilitator's choice against these lists (the
target must exist, belong to the activity's kind and be ready: a poll open, a Delphi
round open) and, when none is given, takes the newest ready one. The dashboard lists
them by title. Domain, not live layer: which poll may go live is a rule of the workshop,
and :mod:`separ.tokens` checks it. Imports stay light: this runs in the participant
server too.
"""

from __future__ import annotations

from separ.i18n import add_messages
from separ.stages import Target
from separ.store import Store

add_messages(
    {
        "live_target_poll_not_open": {
            "ko": "투표를 시작한 뒤에 띄울 수 있습니다",
            "en": "open the poll before putting it live",
        },
        "live_target_study_closed": {
            "ko": "델파이 라운드를 연 뒤에 띄울 수 있습니다",
            "en": "open the Delphi round before putting it live",
        },
    }
)


def boards(store: Store) -> list[Target]:
    """Every PEST/SWOT board, in the order they were made (the last is the newest)."""
    from separ import context

    return [Target(b.id, b.title) for b in context.boards(store)]


def polls(store: Store) -> list[Target]:
    """Every poll; only an open one can be put live (a draft takes no ballots, a closed
    poll takes no more -- show a closed poll's results from its workbook)."""
    from separ.polls import Poll, PollStatus

    return [
        Target(p.id, p.title, None if p.status == PollStatus.open else "live_target_poll_not_open")
        for p in store.list(Poll)
    ]


def delphi_studies(store: Store) -> list[Target]:
    """Every Delphi study; only one with its round open can be put live."""
    from separ.delphi import studies

    return [
        Target(
            s.id, f"{s.title} ({s.current_round}R)", None if s.open else "live_target_study_closed"
        )
        for s in studies(store)
    ]
