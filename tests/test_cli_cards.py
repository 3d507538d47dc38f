"""``separ cards`` / ``card`` / ``duplicates`` / ``merge`` on the Seosan sample."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from separ.errors import SeparError
from separ.model import Participant
from separ.tokens import AccessToken, TokenRole, actor_for, claim_card, join
from separ.workspace import import_file, open_workshop
from tests.conftest import SAMPLES
from tests.test_cli import run


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    folder = tmp_path / "seosan"
    import_file(folder, SAMPLES["seosan"]).close()
    return folder


def test_cards_one_per_listed_participant_with_a_working_code(ws: Path, tmp_path: Path) -> None:
    with open_workshop(ws) as store:
        listed = store.list(Participant)
        join(store, "당일참여자")  # joined on a phone: no card
    out = run("cards", ws, "--out", tmp_path / "cards.html", "--url", "http://10.0.0.5:8866/")
    assert out.returncode == 0 and f"wrote {len(listed)} cards" in out.stdout
    page = (tmp_path / "cards.html").read_text(encoding="utf-8")
    assert page.count("<section class='card'>") == len(listed) == 27
    assert "<html lang='ko'>" in page and "님의 참여 QR 코드" in page
    assert all(p.name in page for p in listed) and "당일참여자" not in page
    with open_workshop(ws) as store:
        assert len(store.list(AccessToken, role=TokenRole.card)) == 27


def test_cards_pdf_has_the_names(ws: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    assert run("cards", ws, "--out", pdf).returncode == 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+4\b", info.stdout)  # 27 cards, 8 per A4 sheet
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "이원돈" in text and "드림앤드림(주)" in text


def test_reissue_revoke_duplicates_and_merge(ws: Path) -> None:
    with open_workshop(ws) as store:
        person = store.list(Participant)[0]
        typed = actor_for(store, join(store, person.name))
    assert typed is not None
    out = run("card", ws, person.id, "--url", "http://room:8866/")
    assert out.returncode == 0
    code = out.stdout.strip().rsplit("/card/", 1)[1]
    with open_workshop(ws) as store:
        claimed = actor_for(store, claim_card(store, code))
    assert claimed is not None and claimed.participant_id == person.id
    listing = run("duplicates", ws).stdout
    assert person.id in listing and (typed.participant_id or "?") in listing
    merged = run("merge", ws, person.id, typed.participant_id or "")
    assert merged.returncode == 0 and "merged" in merged.stdout
    assert "no participants share a name" in run("duplicates", ws).stdout
    assert run("card", ws, person.id, "--revoke").returncode == 0
    with open_workshop(ws) as store:
        with pytest.raises(SeparError):
            claim_card(store, code)
        assert store.list(AccessToken, role=TokenRole.card, participant_id=person.id) == []
    refused = run("merge", ws, person.id, person.id)
    assert refused.returncode == 2 and "itself" in refused.stderr
