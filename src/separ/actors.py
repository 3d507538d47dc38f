"""Who is acting: a participant (possibly anonymous) or a facilitator.

Widgets never decide this from their own state: the live server resolves a
server-side token to an :class:`Actor` and hands it to the views, and every write
checks it. A participant's browser can send any widget value, but not another Actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from separ.errors import SeparError


@dataclass(frozen=True)
class Actor:
    participant_id: str | None
    """The participant's id in the store; None for an anonymous participant."""
    display_name: str
    facilitator: bool = False
    token_id: str | None = None
    """The id of the access token the page was opened with: an anonymous phone's only
    lasting identity (display names like ``익명-1a2b`` repeat in a full room)."""

    @classmethod
    def facilitator_actor(cls, name: str = "진행자") -> Actor:
        return cls(participant_id=None, display_name=name, facilitator=True)


def require_facilitator(actor: Actor) -> None:
    """Refuse a facilitator action to anyone else, whatever their page sent."""
    if not actor.facilitator:
        raise SeparError("facilitator_only")
