"""The organisations' network: members, what they offer, how they are tied, and who is missing.

The seed's diagnosis is a fragmented network: organisations that do not know each
other, isolated "섬" organisations and a few hubs. This module extends the foundation's
organisation registry with four tables of its own (the registry itself is not changed):

- :class:`Membership`: whether an organisation is in the local network, since when and
  in which sub-committee. A member the registry does not hold yet (the seed lists the
  Nonsan council's 14 members by name only) is kept by ``name``, so a member list can
  be recorded before every member is registered.
- :class:`Offering`: the members' products and services, classified by 품목 as the
  Seosan member catalogue does (L3771).
- :class:`Tie`: a relation between two registered organisations (MOU, joint project,
  trade ...), dated, with a strength and a direction where it matters.
- :class:`OrgCount`: counts of organisations by type in an area or in the network, as
  the reports publish them (〈표 4-9〉, the Nonsan 77). They are the denominator of
  coverage: the reports never list every local organisation, only how many there are.

The analysis (degree, betweenness, components, brokers, coverage, snapshots) is plain
networkx over an undirected graph: several ties between one pair (an MOU and trade)
count as one link for the structure and stay visible in the counts by kind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import networkx as nx
from pydantic import Field, model_validator

from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError, Where
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend
from separ.model import Organisation, OrgType
from separ.records import Choice, Name, Record, RecordId, Text
from separ.store import Store, Transaction
from separ.validation import build

if TYPE_CHECKING:
    import pandas as pd

add_messages(
    {
        "tie_self": {
            "ko": "한 조직이 자기 자신과 관계를 맺을 수 없습니다",
            "en": "an organisation cannot be tied to itself",
        },
        "member_needs_org": {
            "ko": "등록된 조직이나 조직명 중 하나가 필요합니다",
            "en": "a registered organisation or an organisation name is needed",
        },
        "tie_not_yours": {
            "ko": "자기 조직의 관계만 입력할 수 있습니다",
            "en": "you can only enter ties of your own organisation",
        },
        "count_total_mismatch": {
            "ko": "{area} {year} ({scope}): 유형별 합은 {summed}인데 계는 {printed}",
            "en": "{area} {year} ({scope}): the types add up to {summed} but the total is {printed}",
        },
        "no_organisation": {
            "ko": "소속 조직이 등록되어 있지 않아 관계를 입력할 수 없습니다",
            "en": "you have no registered organisation, so you cannot enter ties",
        },
    }
)
add_nouns(
    {
        "membership": {"ko": "회원 정보", "en": "membership"},
        "offering": {"ko": "품목", "en": "offering"},
        "tie": {"ko": "조직 간 관계", "en": "tie"},
        "org_count": {"ko": "조직 수 통계", "en": "organisation count"},
    }
)


class TieKind(Choice):
    """How two organisations work together (the issue's six kinds)."""

    mou = "mou"
    joint_project = "joint_project"
    trade = "trade"
    mentoring = "mentoring"
    shared_membership = "shared_membership"
    information = "information"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "mou": {"ko": "업무협약", "en": "MOU"},
            "joint_project": {"ko": "공동사업", "en": "joint project"},
            "trade": {"ko": "거래", "en": "trade"},
            "mentoring": {"ko": "멘토링", "en": "mentoring"},
            "shared_membership": {"ko": "공동 회원활동", "en": "shared membership"},
            "information": {"ko": "정보 교류", "en": "information exchange"},
        }


class ProductCategory(Choice):
    """The Seosan member catalogue's 품목 (L3771: "10개 품목", eleven labels listed)."""

    education = "education"
    experience = "experience"
    space_rental = "space_rental"
    food_general = "food_general"
    food_traditional = "food_traditional"
    retail = "retail"
    care = "care"
    disinfection = "disinfection"
    cleaning = "cleaning"
    media_design = "media_design"
    other = "other"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "education": {"ko": "교육서비스", "en": "education services"},
            "experience": {"ko": "체험학습", "en": "experiential learning"},
            "space_rental": {"ko": "공간대여", "en": "space rental"},
            "food_general": {"ko": "식자재공급_일반식품", "en": "food supply (general)"},
            "food_traditional": {"ko": "식자재공급_전통식품", "en": "food supply (traditional)"},
            "retail": {"ko": "도소매", "en": "wholesale and retail"},
            "care": {"ko": "돌봄", "en": "care"},
            "disinfection": {"ko": "소독방역", "en": "disinfection"},
            "cleaning": {"ko": "청소", "en": "cleaning"},
            "media_design": {"ko": "미디어 디자인", "en": "media and design"},
            "other": {"ko": "기타", "en": "other"},
        }


class CountScope(Choice):
    """Whether a count is of every organisation in the area or of the network's members."""

    area = "area"
    network = "network"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "area": {"ko": "지역 전체", "en": "whole area"},
            "network": {"ko": "네트워크 회원", "en": "network members"},
        }


def _org_or_name(organisation_id: str | None, name: str | None) -> None:
    if not (organisation_id or name):
        raise Invalid("member_needs_org")


class Membership(Record):
    """An organisation's place in the local network (the organisation registry, extended)."""

    table: ClassVar[str] = "memberships"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "네트워크 회원", "en": "Memberships"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "organisation_id": {"ko": "조직 ID", "en": "organisation id"},
        "name": {"ko": "조직명(미등록)", "en": "name (unregistered)"},
        "org_type": {"ko": "유형(미등록)", "en": "type (unregistered)"},
        "member": {"ko": "회원 여부", "en": "member"},
        "joined": {"ko": "가입일", "en": "joined"},
        "subcommittee": {"ko": "분과", "en": "sub-committee"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("organisation_id",), ("name",))
    references: ClassVar[dict[str, str]] = {"organisation_id": "organisations"}
    noun: ClassVar[str] = "membership"

    organisation_id: RecordId | None = None
    name: Name | None = None
    org_type: OrgType | None = None
    member: bool = True
    joined: dt.date | None = None
    subcommittee: Name | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _someone(self) -> Membership:
        _org_or_name(self.organisation_id, self.name)
        return self


class Offering(Record):
    """A product or service an organisation offers, classified by 품목."""

    table: ClassVar[str] = "offerings"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "품목", "en": "Offerings"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "organisation_id": {"ko": "조직 ID", "en": "organisation id"},
        "name": {"ko": "조직명(미등록)", "en": "name (unregistered)"},
        "category": {"ko": "품목", "en": "category"},
        "description": {"ko": "제품·서비스", "en": "products and services"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("organisation_id", "category"),
        ("name", "category"),
    )
    references: ClassVar[dict[str, str]] = {"organisation_id": "organisations"}
    noun: ClassVar[str] = "offering"

    organisation_id: RecordId | None = None
    name: Name | None = None
    category: ProductCategory
    description: Text | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _someone(self) -> Offering:
        _org_or_name(self.organisation_id, self.name)
        return self


class Tie(Record):
    """One relation between two registered organisations."""

    table: ClassVar[str] = "ties"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "조직 간 관계", "en": "Ties"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "from_org_id": {"ko": "조직 ID", "en": "from organisation id"},
        "to_org_id": {"ko": "상대 조직 ID", "en": "to organisation id"},
        "kind": {"ko": "관계 유형", "en": "kind"},
        "date": {"ko": "일자", "en": "date"},
        "strength": {"ko": "강도(1-3)", "en": "strength (1-3)"},
        "directed": {"ko": "방향 있음", "en": "directed"},
        "added_by": {"ko": "입력한 참여자 ID", "en": "entered by participant id"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("from_org_id", "to_org_id", "kind", "date"),)
    references: ClassVar[dict[str, str]] = {
        "from_org_id": "organisations",
        "to_org_id": "organisations",
        "added_by": "participants",
    }
    noun: ClassVar[str] = "tie"

    from_org_id: RecordId
    to_org_id: RecordId
    kind: TieKind
    date: dt.date | None = None
    strength: int | None = Field(default=None, ge=1, le=3)
    """1 weak .. 3 strong; None when the source does not say."""
    directed: bool = False
    added_by: RecordId | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _two_ends(self) -> Tie:
        if self.from_org_id == self.to_org_id:
            raise Invalid("tie_self")
        return self

    def key(self) -> tuple[Any, ...]:
        """Pair + kind + date; the pair is unordered unless the tie is directed."""
        pair = (self.from_org_id, self.to_org_id)
        if not self.directed:
            pair = tuple(sorted(pair))  # type: ignore[assignment]
        return (*pair, self.kind.value, self.date)


class OrgCount(Record):
    """How many organisations of a type an area (or the network) has, as a report publishes it."""

    table: ClassVar[str] = "org_counts"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "유형별 조직 수", "en": "Organisation counts"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "scope": {"ko": "범위", "en": "scope"},
        "area": {"ko": "지역", "en": "area"},
        "part_of": {"ko": "상위 지역", "en": "part of"},
        "year": {"ko": "연도", "en": "year"},
        "org_type": {"ko": "유형(빈칸=계)", "en": "type (blank = total)"},
        "label": {"ko": "원문 구분", "en": "source label"},
        "count": {"ko": "개수", "en": "count"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("scope", "area", "year", "org_type", "label"),
    )
    noun: ClassVar[str] = "org_count"

    scope: CountScope = CountScope.area
    area: Name
    part_of: Name | None = None
    year: int | None = Field(default=None, ge=1900, le=2200)
    org_type: OrgType | None = None
    label: Name | None = None
    count: int = Field(ge=0, le=10_000_000)
    notes: Text | None = None


RECORDS: tuple[type[Record], ...] = (Membership, Offering, Tie, OrgCount)

SE_TYPES: tuple[OrgType, ...] = (
    OrgType.social_enterprise,
    OrgType.pre_social_enterprise,
    OrgType.cooperative,
    OrgType.social_cooperative,
    OrgType.village_enterprise,
    OrgType.self_sufficiency_enterprise,
    OrgType.rural_community_company,
)
"""Social-economy organisation types: the ones a network recruits (not government, centres)."""

COVERAGE_GROUP: dict[OrgType, OrgType] = {OrgType.pre_social_enterprise: OrgType.social_enterprise}
"""Korean statistics count "(예비)사회적기업" as one type (〈표 4-9〉, the Nonsan 77)."""


# -- writing -----------------------------------------------------------------------


def add_tie(store: Store, actor: Actor, data: dict[str, Any]) -> Tie:
    """Record a tie. A participant may only tie their own organisation; a facilitator any two.

    ``data`` is raw (widget or file values): it is validated here, never trusted.
    """
    data = dict(data)
    if not actor.facilitator:
        own = own_organisation(store, actor)
        if data.get("from_org_id") != own:
            raise SeparError("tie_not_yours")
        data["added_by"] = actor.participant_id
        data.pop("id", None)
    tie = build(Tie, data)
    assert isinstance(tie, Tie)
    with store.transaction() as tx:
        _check_tie(tx, tie)
        spend(tx, actor, "tie")
        tx.add(tie)
    return tie


def own_organisation(store: Store, actor: Actor) -> str:
    from separ.model import Participant

    if actor.participant_id is None:
        raise SeparError("no_organisation")
    person = store.get(Participant, actor.participant_id)
    if person.organisation_id is None:
        raise SeparError("no_organisation")
    return person.organisation_id


def _check_tie(tx: Transaction, tie: Tie, where: Where = "") -> None:
    """References exist and no tie with the same pair, kind and date is stored."""
    for end in (tie.from_org_id, tie.to_org_id):
        tx.get(Organisation, end)
    for other in tx.find(Tie, kind=tie.kind):
        if other.id != tie.id and other.key() == tie.key():
            names = f"{tie.from_org_id}–{tie.to_org_id}, {tie.kind.value}, {tie.date}"
            raise SeparError("duplicate", where=where, what="tie", value=names)


def delete_tie(store: Store, actor: Actor, tie_id: str) -> None:
    """Remove a tie (a facilitator's correction)."""
    require_facilitator(actor)
    store.delete(Tie, tie_id)


def set_membership(store: Store, actor: Actor, data: dict[str, Any]) -> Membership:
    """Add or replace an organisation's membership row (facilitator only)."""
    require_facilitator(actor)
    member = build(Membership, data)
    assert isinstance(member, Membership)
    with store.transaction() as tx:
        old = (
            tx.find(Membership, organisation_id=member.organisation_id)
            if member.organisation_id
            else tx.find(Membership, name=member.name)
        )
        if old:
            member = member.model_copy(update={"id": old[0].id})
            tx.update(member)
        else:
            tx.add(member)
    return member


# -- the graph -----------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """An organisation on the map: registered (id = organisation id) or a named member."""

    id: str
    name: str
    type: OrgType
    member: bool


def nodes(store: Store, *, members_only: bool = False) -> list[Node]:
    """Every registered organisation plus members known only by name."""
    orgs = store.list(Organisation)
    memberships = store.list(Membership)
    member_ids = {m.organisation_id for m in memberships if m.member and m.organisation_id}
    out = [Node(o.id, o.name, o.type, o.id in member_ids) for o in orgs]
    for m in memberships:
        if m.organisation_id is None and m.name:
            out.append(Node(f"name:{m.name}", m.name, m.org_type or OrgType.other, m.member))
    if members_only:
        tied = {t for tie in store.list(Tie) for t in (tie.from_org_id, tie.to_org_id)}
        out = [n for n in out if n.member or n.id in tied]
    return out


def graph(node_list: Iterable[Node], ties: Iterable[Tie]) -> nx.Graph:
    """An undirected graph: one edge per linked pair, with its kinds and strongest strength."""
    g = nx.Graph()
    for n in node_list:
        g.add_node(n.id, name=n.name, type=n.type, member=n.member)
    for tie in ties:
        a, b = tie.from_org_id, tie.to_org_id
        if a not in g or b not in g:
            continue
        if g.has_edge(a, b):
            edge = g.edges[a, b]
            edge["kinds"].add(tie.kind)
            edge["strength"] = max(edge["strength"], tie.strength or 1)
            edge["ties"] += 1
        else:
            g.add_edge(a, b, kinds={tie.kind}, strength=tie.strength or 1, ties=1)
    return g


def store_graph(
    store: Store, *, as_of: dt.date | None = None, members_only: bool = False
) -> nx.Graph:
    """The store's network, optionally as it stood on ``as_of`` (ties dated after it left out)."""
    return graph(nodes(store, members_only=members_only), ties_as_of(store.list(Tie), as_of))


def ties_as_of(ties: Iterable[Tie], as_of: dt.date | None) -> list[Tie]:
    """Ties known on ``as_of``: undated ties are taken as always known."""
    return [t for t in ties if as_of is None or t.date is None or t.date <= as_of]


@dataclass(frozen=True)
class Metrics:
    """The structure of one network, as the workbook and report show it."""

    degree: dict[str, int]
    betweenness: dict[str, float]
    """Normalised betweenness centrality (0..1)."""
    components: list[set[str]]
    """Connected groups, largest first (isolates are components of one)."""
    isolates: list[str]
    density: float
    articulation: set[str]
    """Organisations whose removal splits a group apart."""
    brokers: list[str]
    """Articulation points and high-betweenness organisations, most central first."""


BROKER_BETWEENNESS = 0.1
"""An organisation on at least this share of shortest paths counts as a broker."""


def metrics(g: nx.Graph) -> Metrics:
    degree = {n: int(d) for n, d in g.degree()}
    between = {n: float(v) for n, v in nx.betweenness_centrality(g, normalized=True).items()}
    comps = sorted((set(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), sorted(c)))
    art = set(nx.articulation_points(g))
    brokers = sorted(
        (n for n in g if n in art or between[n] >= BROKER_BETWEENNESS),
        key=lambda n: (-between[n], n),
    )
    return Metrics(
        degree=degree,
        betweenness=between,
        components=comps,
        isolates=sorted(nx.isolates(g)),
        density=float(nx.density(g)) if len(g) > 1 else 0.0,
        articulation=art,
        brokers=brokers,
    )


def ties_by_kind(ties: Iterable[Tie]) -> dict[TieKind, int]:
    counts = Counter(t.kind for t in ties)
    return {kind: counts[kind] for kind in TieKind if counts[kind]}


def ties_by_type(g: nx.Graph) -> dict[tuple[OrgType, OrgType], int]:
    """Linked pairs by the two organisations' types (e.g. 협동조합–사회적기업)."""
    counts: Counter[tuple[OrgType, OrgType]] = Counter()
    order = list(OrgType)
    for a, b in g.edges():
        pair = sorted((g.nodes[a]["type"], g.nodes[b]["type"]), key=order.index)
        counts[(pair[0], pair[1])] += 1
    return dict(counts)


def metrics_frame(g: nx.Graph, lang: Lang = "ko") -> pd.DataFrame:
    """One row per organisation: name, type, member, degree, betweenness, broker, isolate."""
    import pandas as pd

    m = metrics(g)
    cols = {
        "ko": ["조직", "유형", "회원", "연결 수", "매개 중심성", "중개자", "고립"],
        "en": ["organisation", "type", "member", "degree", "betweenness", "broker", "isolate"],
    }[lang]
    rows = [
        [
            g.nodes[n]["name"],
            g.nodes[n]["type"].label(lang),
            g.nodes[n]["member"],
            m.degree[n],
            round(m.betweenness[n], 3),
            n in m.brokers,
            n in m.isolates,
        ]
        for n in g
    ]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values([cols[3], cols[0]], ascending=[False, True]).reset_index(drop=True)


# -- coverage ------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    org_type: OrgType | None
    """None for the total row."""
    members: int
    area_total: int | None
    """None when the area counts have no figure for this type."""

    @property
    def share(self) -> float | None:
        if not self.area_total:
            return None
        return self.members / self.area_total

    @property
    def over_full(self) -> bool:
        """More members than organisations: the two counts come from different dates or rules."""
        return self.area_total is not None and self.members > self.area_total


def _group(t: OrgType) -> OrgType:
    return COVERAGE_GROUP.get(t, t)


def coverage(
    store: Store, *, area: str | None = None, year: int | None = None
) -> list[CoverageRow]:
    """Network members ÷ all local social-economy organisations, by type, then the total.

    Members are the network's published counts (:class:`OrgCount`, scope network) when
    there are any, else the :class:`Membership` rows. The denominator is the area's
    counts of the latest year (or ``year``) for ``area`` (or the one area without a
    ``part_of``).
    """
    counts = store.list(OrgCount)
    area_rows = [
        c
        for c in counts
        if c.scope == CountScope.area and c.part_of is None and (area is None or c.area == area)
    ]
    if area_rows and year is None:
        year = max((c.year for c in area_rows if c.year is not None), default=None)
    area_rows = [c for c in area_rows if c.year == year]
    totals: Counter[OrgType] = Counter()
    area_total: int | None = None
    for c in area_rows:
        if c.org_type is None:
            area_total = c.count
        else:
            totals[_group(c.org_type)] += c.count
    members: Counter[OrgType] = Counter()
    member_total: int
    net_rows = [c for c in counts if c.scope == CountScope.network]
    if net_rows:
        for c in net_rows:
            if c.org_type is not None:
                members[_group(c.org_type)] += c.count
        given = [c.count for c in net_rows if c.org_type is None]
        member_total = given[0] if given else sum(members.values())
    else:
        for n in nodes(store):
            if n.member:
                members[_group(n.type)] += 1
        member_total = sum(members.values())
    types = [t for t in OrgType if t in totals or t in members]
    rows = [CoverageRow(t, members[t], totals.get(t)) for t in types]
    if area_total is None and totals:
        area_total = sum(totals.values())
    rows.append(CoverageRow(None, member_total, area_total))
    return rows


def coverage_frame(rows: list[CoverageRow], lang: Lang = "ko") -> pd.DataFrame:
    import pandas as pd

    cols = {
        "ko": ["유형", "회원", "지역 전체", "비율(%)", "확인 필요"],
        "en": ["type", "members", "in the area", "share (%)", "check"],
    }[lang]
    total = {"ko": "계", "en": "total"}[lang]
    se = {"ko": "(예비)사회적기업", "en": "(pre-)social enterprise"}[lang]

    def label(t: OrgType | None) -> str:
        if t is None:
            return total
        return se if t == OrgType.social_enterprise else t.label(lang)

    data = [
        [
            label(r.org_type),
            r.members,
            r.area_total,
            None if r.share is None else round(100 * r.share, 1),
            r.over_full,
        ]
        for r in rows
    ]
    return pd.DataFrame(data, columns=cols)


def check_counts(store: Store, lang: Lang = "ko") -> list[str]:
    """Totals that differ from the sum of their types, as published.

    Not always a slip: the reports exclude overlaps from the total (a certified social
    enterprise that is also a co-op), so the message says what differs and the
    facilitator reads the source's note.
    """
    from separ.i18n import text

    groups: dict[tuple[Any, ...], list[OrgCount]] = {}
    for c in store.list(OrgCount):
        groups.setdefault((c.scope, c.area, c.year), []).append(c)
    out = []
    for (scope, area, year), rows in groups.items():
        totals = [c.count for c in rows if c.org_type is None]
        summed = sum(c.count for c in rows if c.org_type is not None)
        if totals and summed and totals[0] != summed:
            out.append(
                text(
                    "count_total_mismatch",
                    lang,
                    area=area,
                    year=year or "",
                    scope=scope.label(lang),
                    summed=summed,
                    printed=totals[0],
                )
            )
    return out


def outreach(store: Store) -> list[Organisation]:
    """Registered social-economy organisations that are not network members: who to invite."""
    members = {m.organisation_id for m in store.list(Membership) if m.member}
    return [
        o
        for o in store.list(Organisation, order_by="name")
        if o.type in SE_TYPES and o.id not in members
    ]


# -- snapshots -----------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The network at one moment: who is a member and which pairs are linked by which kind."""

    members: frozenset[str]
    ties: frozenset[tuple[str, str, str]]
    """(organisation name, organisation name, kind); names sorted unless directed."""

    @classmethod
    def of(cls, store: Store, as_of: dt.date | None = None) -> Snapshot:
        """The store's network as it stood on ``as_of`` (None: now). Names, not ids, so two
        exported workshop files can be compared even if ids differ."""
        names = {o.id: o.name for o in store.list(Organisation)}
        members = set()
        for m in store.list(Membership):
            if m.member and (as_of is None or m.joined is None or m.joined <= as_of):
                members.add(names.get(m.organisation_id or "", m.name or ""))
        ties = set()
        for t in ties_as_of(store.list(Tie), as_of):
            a, b = names[t.from_org_id], names[t.to_org_id]
            if not t.directed:
                a, b = sorted((a, b))
            ties.add((a, b, t.kind.value))
        return cls(frozenset(members), frozenset(ties))


@dataclass(frozen=True)
class Change:
    new_members: list[str] = field(default_factory=list)
    left_members: list[str] = field(default_factory=list)
    new_ties: list[tuple[str, str, str]] = field(default_factory=list)
    ended_ties: list[tuple[str, str, str]] = field(default_factory=list)


def compare(before: Snapshot, after: Snapshot) -> Change:
    """What changed between two snapshots (e.g. before and after the workshop series)."""
    return Change(
        new_members=sorted(after.members - before.members),
        left_members=sorted(before.members - after.members),
        new_ties=sorted(after.ties - before.ties),
        ended_ties=sorted(before.ties - after.ties),
    )


def series_change(store: Store) -> Change:
    """What changed since the day before the first session: the workshops' effect on the network."""
    from separ.model import Session

    dates = sorted(s.date for s in store.list(Session) if s.date is not None)
    before = dates[0] - dt.timedelta(days=1) if dates else None
    return compare(Snapshot.of(store, before), Snapshot.of(store))


def change_frame(change: Change, lang: Lang = "ko") -> pd.DataFrame:
    """New and ended members and ties, one row each, for the report."""
    import pandas as pd

    words = {
        "ko": ("구분", "내용", "새 회원", "탈퇴", "새 관계", "끝난 관계"),
        "en": ("change", "what", "new member", "left", "new tie", "ended tie"),
    }[lang]
    rows = [(words[2], m) for m in change.new_members]
    rows += [(words[3], m) for m in change.left_members]
    rows += [(words[4], f"{a} – {b} ({TieKind(k).label(lang)})") for a, b, k in change.new_ties]
    rows += [(words[5], f"{a} – {b} ({TieKind(k).label(lang)})") for a, b, k in change.ended_ties]
    return pd.DataFrame(rows, columns=list(words[:2]))
