"""``separ tally`` as a user runs it: CSV in, a ranking out; bad ballots exit 2 naming the voter."""

from __future__ import annotations

import json
from pathlib import Path

from separ.actors import Actor
from separ.model import Participant, Workshop
from separ.polls import PollOption, close_poll, create_poll, open_poll, submit_ballot
from separ.store import Store
from tests.separ_cli import run

TENNESSEE = [("m", "MNCK", 42), ("n", "NCKM", 26), ("c", "CKNM", 15), ("k", "KCNM", 17)]


def _ranked_csv(path: Path) -> Path:
    lines = ["voter,option,value"]
    for name, order, weight in TENNESSEE:
        for i in range(weight):
            lines += [f"{name}{i},{o},{r + 1}" for r, o in enumerate(order)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tally_csv_json_by_three_methods(tmp_path: Path) -> None:
    csv = _ranked_csv(tmp_path / "b.csv")
    winners = {}
    for method in ("borda", "irv", "schulze"):
        out = run("tally", "--ballots", csv, "--method", method, "--format", "json")
        assert out.returncode == 0, out.stderr
        doc = json.loads(out.stdout)
        assert set(doc) == {"method", "ballots", "ranking", "winner", "rounds", "pairwise"}
        assert doc["ballots"] == 100 and doc["method"] == method
        winners[method] = doc["winner"]
    assert winners == {"borda": "N", "irv": "K", "schulze": "N"}
    borda = json.loads(
        run("tally", "--ballots", csv, "--method", "borda", "--format", "json").stdout
    )
    assert borda["ranking"] == [
        {"option": "N", "rank": 1, "score": 194},
        {"option": "C", "rank": 2, "score": 173},
        {"option": "M", "rank": 3, "score": 126},
        {"option": "K", "rank": 4, "score": 107},
    ]


def test_tally_table_with_weights_and_a_tie(tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text(
        "voter,option,value,criterion\n"
        "kim,가,5,시급성\nkim,가,2,실현가능성\nkim,나,3,시급성\nkim,나,5,실현가능성\n",
        encoding="utf-8",
    )
    out = run("tally", "--ballots", csv, "--method", "score", "--weights", "시급성=2,실현가능성=1")
    assert out.returncode == 0, out.stderr
    assert "criteria: 1 ballots" in out.stdout and "winner: 가" in out.stdout
    assert "3.6667" in out.stdout
    tie = tmp_path / "t.csv"
    tie.write_text("voter,option,value\na,x,1\nb,y,1\n", encoding="utf-8")
    out = run("tally", "--ballots", tie, "--method", "approval", "--format", "json")
    assert json.loads(out.stdout)["winner"] is None


def test_invalid_ballots_exit_2_naming_voter(tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("voter,option,value\nkim,가,1\nlee,가,1\nlee,나,1\n", encoding="utf-8")
    out = run("tally", "--ballots", csv, "--method", "borda")
    assert out.returncode == 2
    assert out.stderr.strip() == "separ: bad.csv, row 3 (lee): rank 1 is used twice"
    ko = run("tally", "--ballots", csv, "--method", "borda", lang="ko")
    assert "(lee): 1순위를 두 번 썼습니다" in ko.stderr
    dots = tmp_path / "dots.csv"
    dots.write_text("voter,option,value\nkim,가,3\nkim,나,2\n", encoding="utf-8")
    out = run("tally", "--ballots", dots, "--method", "dots", "--dots", "3")
    assert out.returncode == 2 and "(kim): too many dots: 5 (at most 3)" in out.stderr
    header = tmp_path / "h.csv"
    header.write_text("who,what\n", encoding="utf-8")
    assert "header must be" in run("tally", "--ballots", header, "--method", "dots").stderr
    assert run("tally", "--ballots", csv, "--method", "plural").returncode == 2
    assert "either --ballots" in run("tally").stderr


def test_tally_stored_poll(tmp_path: Path) -> None:
    fac = Actor.facilitator_actor()
    with Store.open(tmp_path / "ws", create=True) as store:
        store.add(Workshop(title="t", region="r"))
        for i in range(3):
            store.add(Participant(id=f"p{i}", name=f"n{i}"))
        poll = create_poll(store, fac, "순위", "borda", options="가\n나\n다")
        ids = [o.id for o in store.list(PollOption, order_by="position")]
        open_poll(store, fac, poll.id)
        for i, order in enumerate([(0, 1, 2), (1, 0, 2), (1, 2, 0)]):
            submit_ballot(
                store, Actor(f"p{i}", "x"), poll.id, {ids[o]: r + 1 for r, o in enumerate(order)}
            )
        close_poll(store, fac, poll.id)
    out = run("tally", tmp_path / "ws", "--poll", poll.id, "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    # 가 2+1+0 = 3, 나 1+2+2 = 5, 다 0+0+1 = 1
    assert doc == {
        "method": "borda",
        "ballots": 3,
        "winner": "나",
        "rounds": [],
        "pairwise": None,
        "ranking": [
            {"option": "나", "rank": 1, "score": 5},
            {"option": "가", "rank": 2, "score": 3},
            {"option": "다", "rank": 3, "score": 1},
        ],
    }
    irv = json.loads(
        run(
            "tally", tmp_path / "ws", "--poll", poll.id, "--method", "irv", "--format", "json"
        ).stdout
    )
    assert irv["method"] == "irv" and irv["winner"] == "나"
    assert "no such poll" in run("tally", tmp_path / "ws", "--poll", "nope").stderr


def test_recount_from_an_exported_workshop_file(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    out = run("tally", SAMPLES["seosan"], "--poll", "poll-seosan-importance", "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["method"] == "importance" and doc["ballots"] == 1 and doc["winner"] is None
    assert [r["rank"] for r in doc["ranking"]].count(1) == 8
    assert doc["ranking"][-1] == {"option": "⑧ 서산지역 경제단체와 연계", "rank": 13, "score": 2}


def test_irv_rounds_and_schulze_matrix_in_json(tmp_path: Path) -> None:
    csv = _ranked_csv(tmp_path / "b.csv")
    irv = json.loads(run("tally", "--ballots", csv, "--method", "irv", "--format", "json").stdout)
    # first preferences M 42, N 26, C 15, K 17; C's 15 go to K (32), then N's 26 go to K (58)
    assert irv["rounds"] == [
        {
            "round": 1,
            "counts": {"M": 42, "N": 26, "C": 15, "K": 17},
            "eliminated": ["C"],
            "exhausted": 0,
            "tie": False,
        },
        {
            "round": 2,
            "counts": {"M": 42, "N": 26, "K": 32},
            "eliminated": ["N"],
            "exhausted": 0,
            "tie": False,
        },
        {
            "round": 3,
            "counts": {"M": 42, "K": 58},
            "eliminated": ["M"],
            "exhausted": 0,
            "tie": False,
        },
    ]
    assert irv["pairwise"] is None
    schulze = json.loads(
        run("tally", "--ballots", csv, "--method", "schulze", "--format", "json").stdout
    )
    # d[x][y] = voters ranking x above y, options in order of first appearance M, N, C, K
    assert schulze["pairwise"] == {
        "options": ["M", "N", "C", "K"],
        "matrix": [[None, 42, 42, 42], [58, None, 68, 68], [58, 32, None, 83], [58, 32, 17, None]],
    }
    assert schulze["rounds"] == []
    plurality = json.loads(
        run("tally", "--ballots", csv, "--method", "plurality", "--format", "json").stdout
    )
    assert plurality["winner"] == "M"
    assert [(r["option"], r["score"]) for r in plurality["ranking"]] == [
        ("M", 42),
        ("N", 26),
        ("K", 17),
        ("C", 15),
    ]


def test_runoff_rounds_in_korean(tmp_path: Path) -> None:
    csv = _ranked_csv(tmp_path / "b.csv")
    out = run("tally", "--ballots", csv, "--method", "irv", lang="ko")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "irv: 투표지 100장"
    assert lines[1].startswith("순위") and lines[1].endswith("점수")
    assert "1라운드: M 42, N 26, C 15, K 17 → 탈락: C" in lines
    assert lines[-1] == "1위: K"


def test_unknown_option_did_you_mean(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text(
        "voter,option,value\na,Memphis,1\na,Nashville,2\nb,Nashvile,1\n", encoding="utf-8"
    )
    out = run(
        "tally",
        "--ballots",
        csv,
        "--method",
        "borda",
        "--options",
        "Memphis,Nashville",
        "--options",
        "Knoxville",
    )
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "separ: t.csv, row 4, option: unknown option: Nashvile (Nashville?)"
    )


def test_empty_sheet_exits_2(tmp_path: Path) -> None:
    csv = tmp_path / "e.csv"
    csv.write_text("voter,option,value\n", encoding="utf-8")
    out = run("tally", "--ballots", csv, "--method", "borda")
    assert out.returncode == 2 and "no ballots" in out.stderr and out.stdout == ""


def test_infinity_and_nan_name_file_row_field(tmp_path: Path) -> None:
    for bad in ("Infinity", "NaN", "-inf"):
        csv = tmp_path / "s.csv"
        csv.write_text(f"voter,option,value\na,x,3\nb,x,{bad}\n", encoding="utf-8")
        out = run("tally", "--ballots", csv, "--method", "score")
        assert out.returncode == 2
        assert out.stderr.strip() == (
            f"separ: s.csv, row 3, value: the value is not a finite number: {bad}"
        )


def test_cp949_ballot_sheet(tmp_path: Path) -> None:
    csv = tmp_path / "k.csv"
    csv.write_bytes(
        "투표자,선택지,값\n김,센터 운영,2\n이,센터 운영,1\n이,공공구매,1\n".encode("cp949")
    )
    out = run("tally", "--ballots", csv, "--method", "dots", "--format", "json", lang="ko")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["ranking"] == [
        {"option": "센터 운영", "rank": 1, "score": 3},
        {"option": "공공구매", "rank": 2, "score": 1},
    ]


def test_sheet_checked_by_the_stored_poll(tmp_path: Path) -> None:
    fac = Actor.facilitator_actor()
    with Store.open(tmp_path / "ws", create=True) as store:
        store.add(Workshop(title="t", region="r"))
        poll = create_poll(
            store, fac, "점수", "score", options="센터 운영\n공공구매", score_min=1, score_max=5
        )
    good = tmp_path / "g.csv"
    good.write_text(
        "voter,option,value\na,센터 운영,5\na,공공구매,2\nb,센터 운영,3\nb,공공구매,4\n",
        encoding="utf-8",
    )
    out = run("tally", tmp_path / "ws", "--poll", poll.id, "--ballots", good, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["ranking"] == [
        {"option": "센터 운영", "rank": 1, "score": 4},
        {"option": "공공구매", "rank": 2, "score": 3},
    ]
    bad = tmp_path / "b.csv"
    bad.write_text(
        "voter,option,value\na,센터 운영,5\na,공공구매,2\nb,센터 운영,9\nb,공공구매,4\n",
        encoding="utf-8",
    )
    out = run("tally", tmp_path / "ws", "--poll", poll.id, "--ballots", bad, lang="ko")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "separ: b.csv, 4행, 값 (b): 센터 운영의 점수 9은(는) 1~5 사이여야 합니다"
    )
    missing = tmp_path / "m.csv"
    missing.write_text("voter,option,value\na,센터 운영,5\n", encoding="utf-8")
    out = run("tally", tmp_path / "ws", "--poll", poll.id, "--ballots", missing)
    assert out.returncode == 2 and "m.csv, row 2 (a)" in out.stderr and "공공구매" in out.stderr


def test_the_documented_json_is_what_tally_prints(tmp_path: Path) -> None:
    docs = (Path(__file__).parent.parent / "docs" / "voting.md").read_text(encoding="utf-8")
    block = docs.split("### JSON", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    documented = json.loads(block)
    out = run(
        "tally", "--ballots", _ranked_csv(tmp_path / "b.csv"), "--method", "irv", "--format", "json"
    )
    assert json.loads(out.stdout) == documented
