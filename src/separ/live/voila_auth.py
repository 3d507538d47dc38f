"""Voila's login for separ: no form, a plain refusal.

`separ serve` starts Voila with the facilitator token as its login token, so the
facilitator pages open only through the printed link. Without it Jupyter would show its
own login form (paste a token, set a password); a facilitator has nothing to type there,
so the login route answers 403 with one line in Korean and English instead.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.base.handlers import JupyterHandler

REFUSAL_PAGE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>separ</title></head>
<body style="font-family: 'Noto Sans CJK KR', sans-serif; padding: 24px;">
<p style="font-size: 22px; color: #b00020;">진행자 권한이 필요합니다</p>
<p style="font-size: 16px;">separ serve가 알려 준 진행자 주소(토큰 포함)로 여세요.<br>
Facilitator rights are needed: open the facilitator link that separ serve printed.</p>
</body></html>"""


class RefusalHandler(JupyterHandler):
    @allow_unauthenticated
    def get(self, *args: Any) -> None:
        self.set_status(403)
        self.finish(REFUSAL_PAGE)

    @allow_unauthenticated
    def post(self, *args: Any) -> None:
        self.get()


class TokenLinkOnly(PasswordIdentityProvider):
    """Token in the URL, as usual; the login route only refuses."""

    def get_handlers(self) -> list[tuple[str, object]]:
        return [(r"/login", RefusalHandler)]
