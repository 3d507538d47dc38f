"""The community's assets (ABCD): what people, groups, institutions and places already bring.

The seed joins needs-based agenda finding with Asset-Based Community Development:
"지역 내에 존재하는 다양한 인적, 물적 자산을 최대한 밝혀내고 활용". Participants add
assets from their phones; the facilitator curates them as with notes: merges
duplicates (the merged rows stay, pointing at the one kept, so nothing a participant
wrote is lost), edits wording, and hides what does not belong on the projector.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import model_validator

from separ import schema
from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend
from separ.records import Choice, Name, Record, RecordId, Text
from separ.store import Store, Transaction
from separ.validation import build, noun

if TYPE_CHECKING:
    import pandas as pd

add_messages(
    {
        "merge_needs_two": {
            "ko": "합칠 자산을 두 개 이상 고르세요",
            "en": "choose at least two assets to merge",
        },
        "asset_not_active": {
            "ko": "이미 합쳐졌거나 숨긴 자산입니다: {name}",
            "en": "this asset is already merged or hidden: {name}",
        },
        "asset_holder_one": {
            "ko": "보유자는 조직, 참여자, 직접 입력 중 하나만 고르세요",
            "en": "give the holder as one of: organisation, participant, or free text",
        },
    }
)
add_nouns({"asset": {"ko": "자산", "en": "asset"}})


class AssetCategory(Choice):
    """The six ABCD asset kinds."""

    skills = "skills"
    associations = "associations"
    institutions = "institutions"
    spaces = "spaces"
    economic = "economic"
    culture = "culture"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "skills": {"ko": "개인의 재능·기술", "en": "individuals' skills"},
            "associations": {"ko": "주민 모임·단체", "en": "associations"},
            "institutions": {"ko": "기관", "en": "institutions"},
            "spaces": {"ko": "물리적 공간", "en": "physical spaces"},
            "economic": {"ko": "경제적 자산", "en": "economic assets"},
            "culture": {"ko": "문화·이야기", "en": "cultural assets and stories"},
        }


class AssetStatus(Choice):
    new = "new"
    merged = "merged"
    hidden = "hidden"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "new": {"ko": "새 항목", "en": "new"},
            "merged": {"ko": "합쳐짐", "en": "merged"},
            "hidden": {"ko": "숨김", "en": "hidden"},
        }


class Asset(Record):
    """One asset, held by an organisation, a participant, or someone named in free text."""

    table: ClassVar[str] = "assets"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "자산", "en": "Assets"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "name": {"ko": "자산", "en": "asset"},
        "category": {"ko": "분류", "en": "category"},
        "holder_org_id": {"ko": "보유 조직 ID", "en": "holder organisation id"},
        "holder_participant_id": {"ko": "보유 참여자 ID", "en": "holder participant id"},
        "holder": {"ko": "보유자", "en": "holder"},
        "location": {"ko": "위치(읍면동)", "en": "location"},
        "shareable": {"ko": "공유 가능", "en": "shareable"},
        "status": {"ko": "상태", "en": "status"},
        "merged_into": {"ko": "합쳐진 자산 ID", "en": "merged into"},
        "added_by": {"ko": "입력한 참여자 ID", "en": "entered by participant id"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    references: ClassVar[dict[str, str]] = {
        "holder_org_id": "organisations",
        "holder_participant_id": "participants",
        "added_by": "participants",
    }
    noun: ClassVar[str] = "asset"

    name: Name
    category: AssetCategory
    holder_org_id: RecordId | None = None
    holder_participant_id: RecordId | None = None
    holder: Name | None = None
    location: Name | None = None
    shareable: bool = False
    status: AssetStatus = AssetStatus.new
    merged_into: RecordId | None = None
    """The asset this one was merged into (kept as a plain id: a merge never deletes)."""
    added_by: RecordId | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _one_holder(self) -> Asset:
        given = [self.holder_org_id, self.holder_participant_id, self.holder]
        if sum(v is not None for v in given) > 1:
            raise Invalid("asset_holder_one")
        if (self.status == AssetStatus.merged) != (self.merged_into is not None):
            raise Invalid("asset_merge_target")
        return self


RECORDS: tuple[type[Record], ...] = (Asset,)

PARTICIPANT_FIELDS = (
    "name",
    "category",
    "holder_org_id",
    "holder_participant_id",
    "holder",
    "location",
    "shareable",
    "notes",
)
"""What a participant's page may set; status, merges and authorship are the server's."""


def add_asset(store: Store, actor: Actor, data: dict[str, Any]) -> Asset:
    """Add an asset from raw values (a phone form or a file row).

    A participant can set only :data:`PARTICIPANT_FIELDS`; the asset is theirs
    (``added_by`` comes from the Actor, never from the form) and starts as new.
    """
    if actor.facilitator:
        values = dict(data)
    else:
        extra = sorted(set(data) - set(PARTICIPANT_FIELDS))
        if extra:
            raise SeparError("unknown_column", where=noun(Asset), name=extra[0])
        values = {**data, "added_by": actor.participant_id}
    asset = build(Asset, values)
    assert isinstance(asset, Asset)
    with store.transaction() as tx:
        _check_references(tx, asset)
        spend(tx, actor, "asset")
        tx.add(asset)
    return asset


def _check_references(tx: Transaction, asset: Asset) -> None:
    """The holder and author exist: a forged id gets "no such organisation", not a crash."""
    for field, table in Asset.references.items():
        value = getattr(asset, field)
        if value is not None:
            tx.get(schema.record_type(table), value)


def edit_asset(store: Store, actor: Actor, asset_id: str, changes: dict[str, Any]) -> Asset:
    """Change an asset's wording, category, holder or place (facilitator only)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        old = tx.get(Asset, asset_id)
        values = {**old.row(), **changes, "id": old.id}
        asset = build(Asset, values)
        assert isinstance(asset, Asset)
        _check_references(tx, asset)
        tx.update(asset)
    return asset


def set_hidden(store: Store, actor: Actor, asset_id: str, hidden: bool = True) -> Asset:
    """Hide an asset from the lists and the projector, or show it again."""
    require_facilitator(actor)
    with store.transaction() as tx:
        asset = tx.get(Asset, asset_id)
        if asset.status == AssetStatus.merged:
            raise SeparError("asset_not_active", name=asset.name)
        asset = asset.model_copy(
            update={"status": AssetStatus.hidden if hidden else AssetStatus.new}
        )
        tx.update(asset)
    return asset


def merge_assets(store: Store, actor: Actor, keep_id: str, other_ids: list[str]) -> Asset:
    """Merge duplicates into ``keep_id``: the others point at it and leave the lists.

    The kept asset becomes shareable if any merged one was, and gains their notes, so
    nothing a participant said is lost; all in one transaction.
    """
    require_facilitator(actor)
    others = [i for i in dict.fromkeys(other_ids) if i != keep_id]
    if not others:
        raise SeparError("merge_needs_two")
    with store.transaction() as tx:
        keep = tx.get(Asset, keep_id)
        merged = [tx.get(Asset, i) for i in others]
        for asset in [keep, *merged]:
            if asset.status != AssetStatus.new:
                raise SeparError("asset_not_active", name=asset.name)
        notes = [n for n in [keep.notes, *(a.notes for a in merged)] if n]
        kept = build(
            Asset,
            {
                **keep.row(),
                "shareable": keep.shareable or any(a.shareable for a in merged),
                "notes": "\n".join(dict.fromkeys(notes)) or None,
            },
        )
        assert isinstance(kept, Asset)
        tx.update(kept)
        for asset in merged:
            tx.update(
                asset.model_copy(update={"status": AssetStatus.merged, "merged_into": kept.id})
            )
    return kept


def active_assets(store: Store) -> list[Asset]:
    """The assets the room sees: not merged away, not hidden."""
    return store.list(Asset, status=AssetStatus.new)


def by_category(assets: list[Asset]) -> dict[AssetCategory, int]:
    """Counts per category, every category listed (a zero is worth seeing on the projector)."""
    counts = Counter(a.category for a in assets)
    return {c: counts[c] for c in AssetCategory}


def holder_name(asset: Asset, org_names: dict[str, str], people: dict[str, str]) -> str:
    if asset.holder_org_id:
        return org_names.get(asset.holder_org_id, asset.holder_org_id)
    if asset.holder_participant_id:
        return people.get(asset.holder_participant_id, asset.holder_participant_id)
    return asset.holder or ""


def assets_frame(store: Store, lang: Lang = "ko", *, include_all: bool = False) -> pd.DataFrame:
    """The asset list as a report table (active assets only unless ``include_all``)."""
    import pandas as pd

    from separ.model import Organisation, Participant

    orgs = {o.id: o.name for o in store.list(Organisation)}
    people = {p.id: p.name for p in store.list(Participant)}
    assets = store.list(Asset) if include_all else active_assets(store)
    keys = ["name", "category", "holder", "location", "shareable", "status", "notes"]
    rows = [
        [
            a.name,
            a.category.label(lang),
            holder_name(a, orgs, people),
            a.location,
            a.shareable,
            a.status.label(lang),
            a.notes,
        ]
        for a in assets
    ]
    return pd.DataFrame(
        rows,
        columns=[Asset.labels[k][lang] for k in keys],
        index=pd.Index([a.id for a in assets], name="id"),
    )


def category_frame(assets: list[Asset], lang: Lang = "ko") -> pd.DataFrame:
    import pandas as pd

    counts = by_category(assets)
    col = {"ko": ["분류", "개수"], "en": ["category", "count"]}[lang]
    return pd.DataFrame([[c.label(lang), n] for c, n in counts.items()], columns=col)
