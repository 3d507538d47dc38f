"""Network metrics on hand-computed graphs, ties and their rights, coverage and snapshots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from separ.actors import Actor
from separ.document import write_json
from separ.errors import SeparError
from separ.model import Organisation, OrgType, Participant, Workshop
from separ.network import (
    Membership,
    Node,
    OrgCount,
    Snapshot,
    Tie,
    TieKind,
    add_tie,
    check_counts,
    compare,
    coverage,
    graph,
    metrics,
    outreach,
    set_membership,
    store_graph,
    ties_by_kind,
    ties_by_type,
)
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()


def _graph(names: str, edges: list[tuple[str, str]]) -> nx.Graph:
    node_list = [Node(n, n, OrgType.cooperative, True) for n in names]
    ties = [Tie(from_org_id=a, to_org_id=b, kind=TieKind.mou) for a, b in edges]
    return graph(node_list, ties)


def test_star() -> None:
    # centre c with four leaves: every leaf-leaf shortest path (6 pairs) runs through c
    m = metrics(_graph("cabde", [("c", x) for x in "abde"]))
    assert m.degree == {"c": 4, "a": 1, "b": 1, "d": 1, "e": 1}
    assert m.betweenness["c"] == pytest.approx(1.0)  # 6 / ((5-1)(5-2)/2)
    assert m.betweenness["a"] == 0.0
    assert m.density == pytest.approx(4 / 10)
    assert m.articulation == {"c"} and m.brokers == ["c"]
    assert len(m.components) == 1 and m.isolates == []


def test_path() -> None:
    # a-b-c-d: b lies on a-c and a-d (2 of 3 pairs not involving b) -> 2/3
    m = metrics(_graph("abcd", [("a", "b"), ("b", "c"), ("c", "d")]))
    assert m.betweenness["b"] == pytest.approx(2 / 3)
    assert m.betweenness["a"] == 0.0
    assert m.density == pytest.approx(3 / 6)
    assert m.articulation == {"b", "c"}
    assert m.brokers == ["b", "c"]


def test_two_components_and_an_isolate() -> None:
    m = metrics(_graph("abcdef", [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")]))
    assert m.components == [{"a", "b", "c"}, {"d", "e"}, {"f"}]
    assert m.isolates == ["f"]
    assert m.density == pytest.approx(4 / 15)
    assert m.brokers == [] and m.articulation == set()
    assert m.degree["f"] == 0


def test_parallel_ties_are_one_link_but_counted_by_kind() -> None:
    node_list = [
        Node("a", "A", OrgType.cooperative, True),
        Node("b", "B", OrgType.social_enterprise, True),
    ]
    ties = [
        Tie(from_org_id="a", to_org_id="b", kind=TieKind.mou, strength=1),
        Tie(from_org_id="b", to_org_id="a", kind=TieKind.trade, strength=3),
    ]
    g = graph(node_list, ties)
    assert g.number_of_edges() == 1
    assert g.edges["a", "b"]["strength"] == 3 and g.edges["a", "b"]["ties"] == 2
    assert ties_by_kind(ties) == {TieKind.mou: 1, TieKind.trade: 1}
    assert ties_by_type(g) == {(OrgType.social_enterprise, OrgType.cooperative): 1}


def test_nonsan_mous_are_a_complete_graph_of_five() -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        g = store_graph(store)
        tied = [n for n in g if g.degree(n) > 0]
        assert len(tied) == 5
        assert nx.density(g.subgraph(tied)) == 1.0  # K5: 10 = 5*4/2
        assert all(g.degree(n) == 4 for n in tied)
        m = metrics(g)
        assert m.components[0] == set(tied)
        # 14 registered organisations + 5 members known by name only, 14 of them untied
        assert len(g) == 19 and len(m.isolates) == 14
        before = Snapshot.of(store, dt.date(2021, 10, 4))
        after = Snapshot.of(store)
        change = compare(before, after)
        assert len(change.new_ties) == 10 and change.new_members == []
        assert ("보성자원", "좋은마음(주)", "mou") in change.new_ties
        assert [o.name for o in outreach(store)] == ["논산귀농귀촌협동조합 줌"]


def test_nonsan_coverage_from_member_rows() -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        rows = {r.org_type: r for r in coverage(store)}
    # 보성자원, 좋은마음 (사회적기업) + 주거복지센터, 이장님닷컴, 회오리세차 (예비) of 12
    assert (
        rows[OrgType.social_enterprise].members,
        rows[OrgType.social_enterprise].area_total,
    ) == (5, 12)
    assert rows[OrgType.cooperative].members == 3  # 발그래, 양지그린락, 꿈창의
    assert rows[None].members == 14 and rows[None].area_total == 77
    assert rows[None].share == pytest.approx(14 / 77)


def test_seosan_coverage_from_published_counts_flags_over_full() -> None:
    with open_workshop(SAMPLES["seosan"]) as store:
        rows = {r.org_type: r for r in coverage(store)}
        mismatches = check_counts(store, "en")
    se = rows[OrgType.social_enterprise]
    assert (se.members, se.area_total, se.over_full) == (19, 17, True)  # 7 + 12 of 17
    assert (
        rows[OrgType.village_enterprise].members,
        rows[OrgType.village_enterprise].area_total,
    ) == (11, 13)
    assert rows[None].members == 32 and rows[None].area_total == 97
    assert mismatches == ["서산시 2019 (whole area): the types add up to 73 but the total is 74"]


def _people(store: Store) -> tuple[Actor, Actor]:
    with store.transaction() as tx:
        tx.add(Workshop(title="t", region="r"))
        tx.add(Organisation(id="o1", name="가"))
        tx.add(Organisation(id="o2", name="나"))
        tx.add(Organisation(id="o3", name="다"))
        tx.add(Participant(id="p1", name="김", organisation_id="o1"))
        tx.add(Participant(id="p2", name="이"))
    return Actor("p1", "김"), Actor("p2", "이")


def test_participant_ties_only_their_own_organisation() -> None:
    store = Store.memory()
    kim, lee = _people(store)
    tie = add_tie(
        store,
        kim,
        {"from_org_id": "o1", "to_org_id": "o2", "kind": "거래", "added_by": "p2", "id": "forged"},
    )
    assert tie.added_by == "p1" and tie.id != "forged" and tie.kind == TieKind.trade
    with pytest.raises(SeparError) as exc:
        add_tie(store, kim, {"from_org_id": "o2", "to_org_id": "o3", "kind": "mou"})
    assert exc.value.key == "tie_not_yours"
    with pytest.raises(SeparError) as exc:
        add_tie(store, lee, {"from_org_id": "o1", "to_org_id": "o3", "kind": "mou"})
    assert exc.value.key == "no_organisation"
    with pytest.raises(SeparError) as exc:  # the same pair, reversed, same kind and date
        add_tie(store, FAC, {"from_org_id": "o2", "to_org_id": "o1", "kind": "trade"})
    assert exc.value.key == "duplicate"
    with pytest.raises(SeparError):
        add_tie(store, FAC, {"from_org_id": "o2", "to_org_id": "o2", "kind": "trade"})
    with pytest.raises(SeparError):
        add_tie(
            store, FAC, {"from_org_id": "o2", "to_org_id": "o3", "kind": "trade", "strength": 4}
        )
    assert len(store.list(Tie)) == 1


def test_memberships_are_the_facilitators() -> None:
    store = Store.memory()
    kim, _ = _people(store)
    with pytest.raises(SeparError):
        set_membership(store, kim, {"organisation_id": "o1"})
    set_membership(store, FAC, {"organisation_id": "o1", "joined": "2021-10-05"})
    set_membership(store, FAC, {"organisation_id": "o1", "subcommittee": "돌봄"})
    assert [(m.organisation_id, m.subcommittee) for m in store.list(Membership)] == [("o1", "돌봄")]
    with store.transaction() as tx:
        tx.add(OrgCount(area="시", count=3))
    assert [o.name for o in outreach(store)] == []  # all three are 'other'


def test_two_exported_files_compare_by_name(tmp_path: Path) -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        before = Snapshot.of(store)
        set_membership(store, FAC, {"organisation_id": "o-jum", "joined": "2021-11-01"})
        add_tie(store, FAC, {"from_org_id": "o-jum", "to_org_id": "o-yangji", "kind": "trade"})
        write_json(store, tmp_path / "after.json")
    with open_workshop(tmp_path / "after.json") as after_store:
        change = compare(before, Snapshot.of(after_store))
        earlier = compare(Snapshot.of(after_store, dt.date(2021, 10, 31)), Snapshot.of(after_store))
    assert change.new_members == ["논산귀농귀촌협동조합 줌"]
    assert change.new_ties == [("논산귀농귀촌협동조합 줌", "양지그린락협동조합", "trade")]
    assert earlier.new_members == ["논산귀농귀촌협동조합 줌"]
    assert earlier.new_ties == []  # an undated tie counts as always known
