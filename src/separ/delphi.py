"""Delphi rounds: a panel rates items for suitability and importance until it converges.

The Seoul social-value study (seed 004, L1644-1674, L1765-2031; digest section 2e)
chose its indicators with a two-round Delphi survey: a district panel (22 asked, 21
answered) and a city panel (7 asked, 6 answered) rated each indicator's suitability
(a share between 0 and 1) and importance (a mean on a 7-point scale), round 2 added
new indicators ("신규"), and results were reported overall and for the district panel.

Here a :class:`DelphiStudy` holds panellists (with a group such as 자치구/서울시),
items (``added_round`` > 1 marks an item added later) and responses: one per
panellist, item and round. Statistics per item and round, overall and per group:
share judged suitable, median, quartiles and IQR, mean, standard deviation and
coefficient of variation of importance. Convergence compares an item's IQR and CV
between consecutive rounds; the keep/drop rule is the study's thresholds (suitability
share and median importance). Responses arrive from participant pages
(:func:`respond`, the panellist is the Actor's participant) or from a sheet
(:func:`import_responses`, all rows checked before anything is written).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, model_validator

from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError, at, in_row
from separ.i18n import Lang, add_messages, add_nouns
from separ.limits import spend
from separ.model import Participant
from separ.records import Name, Record, RecordId, Text
from separ.store import Store, Transaction
from separ.tablefile import read_table, text_of, yes_no
from separ.validation import build

_ID: dict[Lang, str] = {"ko": "ID", "en": "id"}
_STUDY: dict[Lang, str] = {"ko": "델파이 ID", "en": "study id"}
_NOTES: dict[Lang, str] = {"ko": "비고", "en": "notes"}

SCALE_MAX = 10
COMMENT_MAX = 1000


class DelphiStudy(Record):
    """A Delphi survey: its scale, the round now open and the keep/drop thresholds."""

    table: ClassVar[str] = "delphi_studies"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "델파이", "en": "Delphi studies"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "title": {"ko": "제목", "en": "title"},
        "scale": {"ko": "중요도 척도", "en": "importance scale"},
        "current_round": {"ko": "현재 라운드", "en": "current round"},
        "open": {"ko": "응답 받는 중", "en": "open"},
        "min_share": {"ko": "적합 비율 기준", "en": "suitability threshold"},
        "min_median": {"ko": "중요도 중앙값 기준", "en": "median importance threshold"},
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("title",),)
    noun: ClassVar[str] = "delphi_study"

    title: Name
    scale: int = Field(default=7, ge=3, le=SCALE_MAX)
    current_round: int = Field(default=1, ge=1, le=20)
    open: bool = False
    min_share: float = Field(default=0.7, ge=0, le=1)
    min_median: float = Field(default=5, ge=1, le=SCALE_MAX)
    notes: Text | None = None


class DelphiPanellist(Record):
    """A panel member, with the group results are broken down by."""

    table: ClassVar[str] = "delphi_panellists"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "델파이 패널", "en": "Delphi panel"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "study_id": _STUDY,
        "name": {"ko": "이름", "en": "name"},
        "group": {"ko": "그룹", "en": "group"},
        "participant_id": {"ko": "참여자 ID", "en": "participant id"},
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("study_id", "name"),
        ("study_id", "participant_id"),
    )
    references: ClassVar[dict[str, str]] = {
        "study_id": "delphi_studies",
        "participant_id": "participants",
    }
    noun: ClassVar[str] = "panellist"

    study_id: RecordId
    name: Name
    group: Name | None = None
    participant_id: RecordId | None = None
    notes: Text | None = None


class DelphiItem(Record):
    """An item the panel rates (an indicator, an activity); ``added_round`` > 1 = 신규."""

    table: ClassVar[str] = "delphi_items"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "델파이 문항", "en": "Delphi items"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "study_id": _STUDY,
        "code": {"ko": "문항 번호", "en": "code"},
        "text": {"ko": "문항", "en": "item"},
        "section": {"ko": "구분", "en": "section"},
        "added_round": {"ko": "추가 라운드", "en": "added in round"},
        "indicator_id": {"ko": "지표 ID", "en": "indicator id"},
        "order": {"ko": "순서", "en": "order"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("study_id", "code"),)
    references: ClassVar[dict[str, str]] = {
        "study_id": "delphi_studies",
        "indicator_id": "indicator_defs",
    }
    noun: ClassVar[str] = "delphi_item"

    study_id: RecordId
    code: Name
    text: Name
    section: Name | None = None
    added_round: int = Field(default=1, ge=1, le=20)
    indicator_id: RecordId | None = None
    order: int = 0


class DelphiResponse(Record):
    """One panellist's answer to one item in one round."""

    table: ClassVar[str] = "delphi_responses"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "델파이 응답", "en": "Delphi responses"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "item_id": {"ko": "문항 ID", "en": "item id"},
        "panellist_id": {"ko": "패널 ID", "en": "panellist id"},
        "round": {"ko": "라운드", "en": "round"},
        "suitable": {"ko": "적합", "en": "suitable"},
        "importance": {"ko": "중요도", "en": "importance"},
        "comment": {"ko": "의견", "en": "comment"},
        "created": {"ko": "응답 시각", "en": "created"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("item_id", "panellist_id", "round"),)
    references: ClassVar[dict[str, str]] = {
        "item_id": "delphi_items",
        "panellist_id": "delphi_panellists",
    }
    noun: ClassVar[str] = "delphi_response"

    item_id: RecordId
    panellist_id: RecordId
    round: int = Field(ge=1, le=20)
    suitable: bool | None = None
    importance: int | None = Field(default=None, ge=1, le=SCALE_MAX)
    comment: Text | None = Field(default=None, max_length=COMMENT_MAX)
    created: dt.datetime | None = None

    @model_validator(mode="after")
    def _answered(self) -> DelphiResponse:
        if self.suitable is None and self.importance is None:
            raise Invalid("delphi_no_answer")
        return self


RECORDS: tuple[type[Record], ...] = (DelphiStudy, DelphiPanellist, DelphiItem, DelphiResponse)

add_nouns(
    {
        "delphi_study": {"ko": "델파이 조사", "en": "Delphi study"},
        "panellist": {"ko": "패널", "en": "panellist"},
        "delphi_item": {"ko": "델파이 문항", "en": "Delphi item"},
        "delphi_response": {"ko": "델파이 응답", "en": "Delphi response"},
    }
)

add_messages(
    {
        "delphi_closed": {
            "ko": "지금은 응답을 받지 않습니다",
            "en": "this Delphi round is not open for answers",
        },
        "delphi_not_panellist": {
            "ko": "이 델파이 패널에 등록된 참여자만 응답할 수 있습니다",
            "en": "only a member of this Delphi panel can answer",
        },
        "delphi_item_later": {
            "ko": "이 문항은 {round}라운드부터 응답할 수 있습니다: {value}",
            "en": "this item is answered from round {round} on: {value}",
        },
        "delphi_bad_importance": {
            "ko": "중요도는 1에서 {scale} 사이의 정수여야 합니다: {value}",
            "en": "importance must be a whole number from 1 to {scale}: {value}",
        },
        "delphi_no_answer": {
            "ko": "적합 여부나 중요도 중 하나는 골라 주세요",
            "en": "please choose suitability or importance",
        },
        "delphi_one_round": {
            "ko": "비교하려면 라운드가 두 개 이상 있어야 합니다",
            "en": "a comparison needs at least two rounds",
        },
        "delphi_bad_round": {
            "ko": "라운드는 1 이상 {limit} 이하여야 합니다: {value}",
            "en": "the round must be from 1 to {limit}: {value}",
        },
        "delphi_bad_yes_no": {
            "ko": "적합 여부는 예/아니오(또는 1/0, O/X)로 적어 주세요: {value}",
            "en": "suitability must be yes/no (or 1/0, O/X): {value}",
        },
        "delphi_missing_column": {
            "ko": "필수 열이 없습니다: {name}",
            "en": "a required column is missing: {name}",
        },
        "delphi_new_item_text": {
            "ko": "새 문항 {value}에는 문항 내용이 필요합니다",
            "en": "the new item {value} needs its text",
        },
        "delphi_group_conflict": {
            "ko": "패널 {value}의 그룹이 행마다 다릅니다",
            "en": "panellist {value} has different groups",
        },
        "delphi_duplicate_answer": {
            "ko": "같은 패널·문항·라운드의 응답이 두 번 있습니다: {value}",
            "en": "two answers for the same panellist, item and round: {value}",
        },
        "delphi_empty_sheet": {"ko": "응답 행이 없습니다", "en": "the sheet has no answers"},
        "delphi_unknown_study": {
            "ko": "델파이 조사를 찾을 수 없습니다: {value}",
            "en": "no such Delphi study: {value}",
        },
    }
)

# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class ItemStats:
    """One item in one round for one set of panellists (everyone, or one group).

    Quartiles use linear interpolation between order statistics (``statistics.quantiles``
    with ``method="inclusive"``, numpy's default), so Q1 of 4, 5, 6, 7 is 4.75. The
    standard deviation is the sample one (n - 1); CV = sd / mean.
    """

    item_id: str
    round: int
    group: str | None
    n: int
    suitable_n: int
    suitable_share: float | None
    importance_n: int
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    mean: float | None
    sd: float | None
    cv: float | None
    counts: dict[int, int]


def item_stats(
    item_id: str, round_: int, responses: list[DelphiResponse], group: str | None = None
) -> ItemStats:
    answers = [r for r in responses if r.item_id == item_id and r.round == round_]
    yes_no = [r.suitable for r in answers if r.suitable is not None]
    scores = sorted(r.importance for r in answers if r.importance is not None)
    share = sum(yes_no) / len(yes_no) if yes_no else None
    median = q1 = q3 = iqr = mean = sd = cv = None
    if scores:
        median = float(statistics.median(scores))
        mean = statistics.fmean(scores)
        if len(scores) >= 2:
            q1, _, q3 = statistics.quantiles(scores, n=4, method="inclusive")
            sd = statistics.stdev(scores)
        else:
            q1 = q3 = float(scores[0])
            sd = 0.0
        iqr = q3 - q1
        cv = sd / mean if mean else None
    counts: dict[int, int] = defaultdict(int)
    for s in scores:
        counts[s] += 1
    return ItemStats(
        item_id,
        round_,
        group,
        len(answers),
        sum(yes_no),
        share,
        len(scores),
        median,
        q1,
        q3,
        iqr,
        mean,
        sd,
        cv,
        dict(counts),
    )


@dataclass
class Panel:
    """One consistent read of a study."""

    study: DelphiStudy
    panellists: list[DelphiPanellist]
    items: list[DelphiItem]
    responses: list[DelphiResponse]

    def rounds(self) -> list[int]:
        return sorted({r.round for r in self.responses} | {self.study.current_round})

    def groups(self) -> list[str]:
        return sorted({p.group for p in self.panellists if p.group})

    def of_group(self, group: str | None) -> list[DelphiResponse]:
        if group is None:
            return self.responses
        ids = {p.id for p in self.panellists if p.group == group}
        return [r for r in self.responses if r.panellist_id in ids]

    def stats(self, item_id: str, round_: int, group: str | None = None) -> ItemStats:
        return item_stats(item_id, round_, self.of_group(group), group)

    def items_in(self, round_: int) -> list[DelphiItem]:
        return [i for i in self.items if i.added_round <= round_]


def load_panel(store: Store, study_id: str) -> Panel:
    with store.reading() as tx:
        study = tx.get(DelphiStudy, study_id)
        panellists = sorted(tx.find(DelphiPanellist, study_id=study_id), key=lambda p: p.name)
        items = sorted(tx.find(DelphiItem, study_id=study_id), key=lambda i: (i.order, i.code))
        ids = {i.id for i in items}
        responses = [r for r in tx.find(DelphiResponse) if r.item_id in ids]
        return Panel(study, panellists, items, responses)


def studies(store: Store) -> list[DelphiStudy]:
    return store.list(DelphiStudy, order_by="title")


@dataclass(frozen=True)
class Convergence:
    """An item between two rounds: did the spread shrink, are the answers stable?"""

    item_id: str
    before: int
    after: int
    iqr_before: float | None
    iqr_after: float | None
    iqr_change: float | None
    cv_before: float | None
    cv_after: float | None
    cv_change: float | None
    converged: bool | None
    """IQR did not grow (None when a round has no importance scores)."""
    stable: bool | None
    """The relative change of CV is at most the tolerance (the answers stopped moving)."""


STABILITY = 0.15
"""Default tolerance on the relative change of CV between rounds."""


def convergence(
    panel: Panel, before: int, after: int, group: str | None = None, tolerance: float = STABILITY
) -> list[Convergence]:
    """Items rated in both rounds (an item added in ``after`` has nothing to converge from)."""
    out = []
    for item in panel.items_in(before):
        a = panel.stats(item.id, before, group)
        b = panel.stats(item.id, after, group)
        if not a.importance_n or not b.importance_n:
            continue
        assert a.iqr is not None and b.iqr is not None
        iqr_change = b.iqr - a.iqr
        cv_change = None if a.cv is None or b.cv is None else b.cv - a.cv
        if a.cv is None or b.cv is None:
            stable = None
        elif a.cv == 0:
            stable = b.cv == 0
        else:
            stable = abs(b.cv - a.cv) / a.cv <= tolerance
        out.append(
            Convergence(
                item.id,
                before,
                after,
                a.iqr,
                b.iqr,
                iqr_change,
                a.cv,
                b.cv,
                cv_change,
                iqr_change <= 0,
                stable,
            )
        )
    return out


@dataclass(frozen=True)
class Decision:
    item_id: str
    round: int
    share: float | None
    median: float | None
    keep: bool


def decide(
    panel: Panel,
    round_: int | None = None,
    *,
    min_share: float | None = None,
    min_median: float | None = None,
) -> list[Decision]:
    """Keep an item when its share judged suitable and its median importance both reach
    the thresholds (the study's unless given) in ``round_`` (default: the latest round
    with answers). A missing statistic never passes."""
    study = panel.study
    share_min = study.min_share if min_share is None else min_share
    median_min = study.min_median if min_median is None else min_median
    rounds = sorted({r.round for r in panel.responses})
    wanted = round_ if round_ is not None else (rounds[-1] if rounds else study.current_round)
    out = []
    for item in panel.items_in(wanted):
        s = panel.stats(item.id, wanted)
        keep = (
            s.suitable_share is not None
            and s.suitable_share >= share_min
            and s.median is not None
            and s.median >= median_min
        )
        out.append(Decision(item.id, wanted, s.suitable_share, s.median, keep))
    return out


@dataclass(frozen=True)
class ItemChange:
    """One item for one set of panellists (everyone: ``group`` None) between two rounds."""

    item_id: str
    code: str
    text: str
    group: str | None
    before: ItemStats
    """n, mean, median, IQR, CV … in the earlier round (n 0 for an item added later)."""
    after: ItemStats
    mean_change: float | None
    """after.mean − before.mean; None when either round has no importance scores."""
    fell: bool
    """The mean went down (shown as ▼): the panel thought less of it on reflection."""
    converged: bool | None
    """The IQR did not grow (None when a round has no importance scores)."""
    stable: bool | None
    """The relative change of CV is within the tolerance."""
    keep: bool
    """The study's keep rule (suitability share and median importance) in the later round,
    on this set of panellists' answers."""


@dataclass(frozen=True)
class RoundComparison:
    """Every item × (everyone, each group) between two rounds of a study, in item order."""

    study_id: str
    before: int
    after: int
    groups: tuple[str | None, ...]
    rows: tuple[ItemChange, ...]

    def of_group(self, group: str | None) -> list[ItemChange]:
        return [r for r in self.rows if r.group == group]

    def fell(self, group: str | None = None) -> list[ItemChange]:
        """The items whose mean fell, overall (``None``) or within one group."""
        return [r for r in self.of_group(group) if r.fell]

    def as_json(self) -> dict[str, Any]:
        """Plain data for the CLI and the report: stats per round, change, flags."""

        def stats(s: ItemStats) -> dict[str, Any]:
            return {
                "n": s.importance_n,
                "mean": s.mean,
                "median": s.median,
                "iqr": s.iqr,
                "cv": s.cv,
                "share": s.suitable_share,
            }

        return {
            "study_id": self.study_id,
            "before": self.before,
            "after": self.after,
            "rows": [
                {
                    "code": r.code,
                    "item": r.text,
                    "group": r.group,
                    "before": stats(r.before),
                    "after": stats(r.after),
                    "mean_change": r.mean_change,
                    "fell": r.fell,
                    "converged": r.converged,
                    "stable": r.stable,
                    "keep": r.keep,
                }
                for r in self.rows
            ],
        }


def compare_rounds(
    panel: Panel,
    before: int | None = None,
    after: int | None = None,
    *,
    groups: bool = True,
    tolerance: float = STABILITY,
) -> RoundComparison:
    """Compare two rounds (default: the last two with answers) per item, overall and per
    group: n, mean, median, IQR and CV in each, the change of the mean (▼ where it fell),
    convergence (IQR not wider), stability (CV) and the keep/drop decision."""
    rounds = sorted({r.round for r in panel.responses})
    if after is None:
        after = rounds[-1] if rounds else panel.study.current_round
    if before is None:
        earlier = [r for r in rounds if r < after]
        before = earlier[-1] if earlier else after - 1
    if after < 2:
        raise SeparError("delphi_one_round")
    if not 1 <= before < after:
        raise SeparError("delphi_bad_round", value=before, limit=after - 1)
    study = panel.study
    sets: tuple[str | None, ...] = (None, *(panel.groups() if groups else []))
    rows = []
    for item in panel.items_in(after):
        for group in sets:
            a = panel.stats(item.id, before, group)
            b = panel.stats(item.id, after, group)
            change = None if a.mean is None or b.mean is None else b.mean - a.mean
            converged = None if a.iqr is None or b.iqr is None else b.iqr <= a.iqr
            if a.cv is None or b.cv is None:
                stable = None
            elif a.cv == 0:
                stable = b.cv == 0
            else:
                stable = abs(b.cv - a.cv) / a.cv <= tolerance
            keep = (
                b.suitable_share is not None
                and b.suitable_share >= study.min_share
                and b.median is not None
                and b.median >= study.min_median
            )
            rows.append(
                ItemChange(
                    item.id,
                    item.code,
                    item.text,
                    group,
                    a,
                    b,
                    change,
                    change is not None and change < 0,
                    converged,
                    stable,
                    keep,
                )
            )
    return RoundComparison(study.id, before, after, sets, tuple(rows))


def comparison_frame(comparison: RoundComparison, lang: Lang = "ko") -> Any:
    """The comparison as the table a report or a terminal prints (▼ marks a fall)."""
    import pandas as pd

    head = COMPARE_HEAD[lang]
    everyone = "전체" if lang == "ko" else "all"

    def num(value: float | None) -> str:
        return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")

    def flag(value: bool | None, yes: str, no: str) -> str:
        return "" if value is None else (yes if value else no)

    marks = {"ko": ("수렴", "확산", "유지", "제외"), "en": ("yes", "no", "keep", "drop")}[lang]
    b, a = comparison.before, comparison.after
    rows = []
    for r in comparison.rows:
        change = num(r.mean_change)
        rows.append(
            [
                r.code,
                r.group or everyone,
                f"{r.before.importance_n}→{r.after.importance_n}",
                num(r.before.mean),
                num(r.after.mean),
                ("▼" + change.lstrip("-")) if r.fell else change,
                num(r.before.median),
                num(r.after.median),
                num(r.before.iqr),
                num(r.after.iqr),
                num(r.before.cv),
                num(r.after.cv),
                flag(r.converged, marks[0], marks[1]),
                marks[2] if r.keep else marks[3],
            ]
        )
    columns = [h.format(b=b, a=a) for h in head]
    return pd.DataFrame(rows, columns=columns)


COMPARE_HEAD: dict[Lang, list[str]] = {
    "ko": [
        "문항",
        "집단",
        "n",
        "{b}차 평균",
        "{a}차 평균",
        "변화",
        "{b}차 중앙값",
        "{a}차 중앙값",
        "{b}차 IQR",
        "{a}차 IQR",
        "{b}차 CV",
        "{a}차 CV",
        "수렴",
        "판정",
    ],
    "en": [
        "item",
        "group",
        "n",
        "mean {b}",
        "mean {a}",
        "change",
        "median {b}",
        "median {a}",
        "IQR {b}",
        "IQR {a}",
        "CV {b}",
        "CV {a}",
        "converged",
        "decision",
    ],
}


def results_frame(panel: Panel, groups: bool = True) -> Any:
    """Every item × round × (all, each group): the table a report prints (like 004's
    1차/2차 × 전체/자치구 columns)."""
    import pandas as pd

    rows = []
    for round_ in panel.rounds():
        for item in panel.items_in(round_):
            for group in [None, *(panel.groups() if groups else [])]:
                s = panel.stats(item.id, round_, group)
                rows.append(
                    {
                        "code": item.code,
                        "item": item.text,
                        "section": item.section or "",
                        "new": item.added_round > 1,
                        "round": round_,
                        "group": group or "",
                        "n": s.n,
                        "share": s.suitable_share,
                        "median": s.median,
                        "q1": s.q1,
                        "q3": s.q3,
                        "iqr": s.iqr,
                        "mean": s.mean,
                        "sd": s.sd,
                        "cv": s.cv,
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "code",
            "item",
            "section",
            "new",
            "round",
            "group",
            "n",
            "share",
            "median",
            "q1",
            "q3",
            "iqr",
            "mean",
            "sd",
            "cv",
        ],
    )


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """What a panellist sees for one item: last round's distribution and their own answers."""

    item: DelphiItem
    previous: ItemStats | None
    own_previous: DelphiResponse | None
    current: DelphiResponse | None


def feedback(panel: Panel, panellist_id: str, round_: int | None = None) -> list[Feedback]:
    round_ = round_ or panel.study.current_round
    out = []
    for item in panel.items_in(round_):
        prev = panel.stats(item.id, round_ - 1) if round_ > 1 else None
        mine = {
            r.round: r
            for r in panel.responses
            if r.item_id == item.id and r.panellist_id == panellist_id
        }
        out.append(
            Feedback(
                item, prev if prev and prev.n else None, mine.get(round_ - 1), mine.get(round_)
            )
        )
    return out


def panellist_of(store: Store, study_id: str, actor: Actor) -> DelphiPanellist | None:
    if actor.participant_id is None:
        return None
    found = store.list(DelphiPanellist, study_id=study_id, participant_id=actor.participant_id)
    return found[0] if found else None


# --------------------------------------------------------------------------- writes


def create_study(
    store: Store,
    actor: Actor,
    title: str,
    *,
    scale: int = 7,
    min_share: float = 0.7,
    min_median: float = 5,
) -> DelphiStudy:
    require_facilitator(actor)
    with store.transaction() as tx:
        rec = build(
            DelphiStudy,
            {"title": title, "scale": scale, "min_share": min_share, "min_median": min_median},
        )
        return tx.add(rec)


def set_thresholds(
    store: Store, actor: Actor, study_id: str, min_share: float, min_median: float
) -> DelphiStudy:
    require_facilitator(actor)
    with store.transaction() as tx:
        study = tx.get(DelphiStudy, study_id)
        rec = build(DelphiStudy, {**study.row(), "min_share": min_share, "min_median": min_median})
        return tx.update(rec)


def add_panellist(
    store: Store,
    actor: Actor,
    study_id: str,
    name: str | None,
    group: str | None = None,
    participant_id: str | None = None,
) -> DelphiPanellist:
    """Add a panellist; one linked to a listed participant can answer on a phone.

    Without a name, a linked panellist takes the participant's name.
    """
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(DelphiStudy, study_id)
        if participant_id and not name:
            name = tx.get(Participant, participant_id).name
        rec = build(
            DelphiPanellist,
            {
                "study_id": study_id,
                "name": name,
                "group": group or None,
                "participant_id": participant_id,
            },
        )
        return tx.add(rec)


def add_item(
    store: Store,
    actor: Actor,
    study_id: str,
    code: str,
    text: str,
    section: str | None = None,
    indicator_id: str | None = None,
) -> DelphiItem:
    """Add an item; one added after round 1 starts in the study's current round (신규)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        study = tx.get(DelphiStudy, study_id)
        rec = build(
            DelphiItem,
            {
                "study_id": study_id,
                "code": code,
                "text": text,
                "section": section or None,
                "added_round": study.current_round,
                "indicator_id": indicator_id,
                "order": len(tx.find(DelphiItem, study_id=study_id)),
            },
        )
        return tx.add(rec)


def set_round(store: Store, actor: Actor, study_id: str, round_: int, is_open: bool) -> DelphiStudy:
    """Open or close a round (moving to round 2 shows everyone round 1's distribution)."""
    require_facilitator(actor)
    if not isinstance(round_, int) or not 1 <= round_ <= 20:
        raise SeparError("delphi_bad_round", value=round_, limit=20)
    with store.transaction() as tx:
        study = tx.get(DelphiStudy, study_id)
        study.current_round = round_
        study.open = bool(is_open)
        return tx.update(study)


def _importance(value: object, scale: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SeparError("delphi_bad_importance", value=value, scale=scale)
    try:
        number = float(str(value).strip())
    except ValueError:
        raise SeparError("delphi_bad_importance", value=value, scale=scale) from None
    if not number.is_integer() or not 1 <= number <= scale:
        raise SeparError("delphi_bad_importance", value=value, scale=scale)
    return int(number)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def respond(
    store: Store,
    actor: Actor,
    study_id: str,
    item_id: str,
    suitable: bool | None,
    importance: int | None,
    comment: str | None = None,
) -> DelphiResponse:
    """A panellist's answer in the open round; a second answer replaces the first.

    The panellist is the Actor's participant and the round is the study's: a page can
    send any item id or value, never another round or another person.
    """
    if suitable is not None and not isinstance(suitable, bool):
        raise SeparError("delphi_bad_yes_no", value=suitable)
    with store.transaction() as tx:
        study = tx.get(DelphiStudy, study_id)
        if not study.open:
            raise SeparError("delphi_closed")
        score = _importance(importance, study.scale)
        if suitable is None and score is None:
            raise SeparError("delphi_no_answer")
        if actor.participant_id is None:
            raise SeparError("delphi_not_panellist")
        found = tx.find(DelphiPanellist, study_id=study_id, participant_id=actor.participant_id)
        if not found:
            raise SeparError("delphi_not_panellist")
        spend(tx, actor, "answer")
        item = tx.get(DelphiItem, item_id)
        if item.study_id != study_id:
            raise SeparError("not_found", what="delphi_item", value=item_id)
        if item.added_round > study.current_round:
            raise SeparError("delphi_item_later", round=item.added_round, value=item.code)
        rec = build(
            DelphiResponse,
            {
                "item_id": item_id,
                "panellist_id": found[0].id,
                "round": study.current_round,
                "suitable": suitable,
                "importance": score,
                "comment": (comment or "").strip() or None,
                "created": _now(),
            },
        )
        return _upsert(tx, rec)


def _upsert(tx: Transaction, rec: DelphiResponse) -> DelphiResponse:
    old = tx.find(
        DelphiResponse, item_id=rec.item_id, panellist_id=rec.panellist_id, round=rec.round
    )
    if old:
        rec.id = old[0].id
        return tx.update(rec)
    return tx.add(rec)


# --------------------------------------------------------------------------- import

COLUMNS: dict[str, tuple[str, ...]] = {
    "round": ("round", "라운드", "차수"),
    "panellist": ("panellist", "panelist", "패널", "응답자", "이름"),
    "group": ("group", "그룹", "구분"),
    "item": ("item", "code", "문항 번호", "문항번호"),
    "text": ("text", "문항", "지표"),
    "section": ("section", "영역", "활동"),
    "suitable": ("suitable", "적합", "적합성"),
    "importance": ("importance", "중요도"),
    "comment": ("comment", "의견"),
}
REQUIRED = ("round", "panellist", "item")


def read_sheet(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, {header: text}) of a table file in any encoding Excel writes, or of the
    first sheet of an .xlsx (see :mod:`separ.tablefile`); [] for a header without rows."""
    table = read_table(path, allow_empty=True)
    return [(number, {h: text_of(v) for h, v in row.items()}) for number, row in table.rows]


def _columns(header: list[str]) -> dict[str, str]:
    found = {}
    for key, names in COLUMNS.items():
        for name in header:
            if name.lower() in names:
                found[key] = name
                break
    for key in REQUIRED:
        if key not in found:
            raise SeparError("delphi_missing_column", name="/".join(COLUMNS[key][:2]))
    if "suitable" not in found and "importance" not in found:
        raise SeparError("delphi_missing_column", name="suitable/적합, importance/중요도")
    return found


@dataclass(frozen=True)
class _Row:
    round: int
    panellist: str
    group: str | None
    item: str
    text: str | None
    section: str | None
    suitable: bool | None
    importance: int | None
    comment: str | None


def _parse(raw: dict[str, str], cols: dict[str, str], scale: int) -> _Row:
    def get(key: str) -> str:
        return raw.get(cols[key], "").strip() if key in cols else ""

    try:
        round_ = int(float(get("round")))
    except ValueError:
        raise SeparError("delphi_bad_round", value=get("round"), limit=20) from None
    if not 1 <= round_ <= 20:
        raise SeparError("delphi_bad_round", value=round_, limit=20)
    suitable = yes_no(get("suitable"))
    if suitable is None and get("suitable"):
        raise SeparError("delphi_bad_yes_no", value=get("suitable"))
    score = _importance(get("importance"), scale)
    if suitable is None and score is None:
        raise SeparError("delphi_no_answer")
    for key in ("panellist", "item"):
        if not get(key):
            raise SeparError("missing_field", where=cols[key])
    return _Row(
        round_,
        get("panellist"),
        get("group") or None,
        get("item"),
        get("text") or None,
        get("section") or None,
        suitable,
        score,
        get("comment") or None,
    )


def import_responses(store: Store, actor: Actor, study_title: str, path: Path) -> int:
    """Load a sheet of answers (one row per panellist × item × round) into a study.

    The study is created when no study has this title. Panellists are matched by name
    and items by code; an item's ``added_round`` is the first round it is answered in.
    Every row is checked first (round, yes/no, importance on the study's scale, one answer
    per panellist, item and round, a text for every new item, one group per panellist);
    the first bad row stops the import and nothing is written. Answers already stored for
    the same panellist, item and round are replaced. Returns the number of answers.
    """
    require_facilitator(actor)
    raw_rows = read_sheet(path)
    if not raw_rows:
        raise SeparError("delphi_empty_sheet", where=str(path))
    cols = _columns(list(read_table(path, allow_empty=True).header))
    existing = [s for s in store.list(DelphiStudy) if s.title == study_title.strip()]
    scale = existing[0].scale if existing else 7
    rows: list[_Row] = []
    seen: set[tuple[str, str, int]] = set()
    groups: dict[str, str | None] = {}
    texts: dict[str, tuple[str, str | None]] = {}
    for number, raw in raw_rows:
        where = at(path.name, in_row(number))
        try:
            row = _parse(raw, cols, scale)
        except SeparError as exc:
            raise exc.located(where) from None
        key = (row.panellist, row.item, row.round)
        if key in seen:
            raise SeparError(
                "delphi_duplicate_answer",
                where=where,
                value=f"{row.panellist} / {row.item} / {row.round}",
            )
        seen.add(key)
        if row.panellist in groups and row.group and groups[row.panellist] not in (None, row.group):
            raise SeparError("delphi_group_conflict", where=where, value=row.panellist)
        groups[row.panellist] = groups.get(row.panellist) or row.group
        if row.text and row.item not in texts:
            texts[row.item] = (row.text, row.section)
        rows.append(row)
    with store.transaction() as tx:
        study = existing[0] if existing else tx.add(build(DelphiStudy, {"title": study_title}))
        panel = {p.name: p for p in tx.find(DelphiPanellist, study_id=study.id)}
        items = {i.code: i for i in tx.find(DelphiItem, study_id=study.id)}
        first_round: dict[str, int] = {}
        for row in rows:
            first_round[row.item] = min(first_round.get(row.item, row.round), row.round)
        for row in rows:
            where = at(path.name, f"{row.panellist} / {row.item}")
            if row.panellist not in panel:
                panel[row.panellist] = tx.add(
                    build(
                        DelphiPanellist,
                        {
                            "study_id": study.id,
                            "name": row.panellist,
                            "group": groups[row.panellist],
                        },
                        where,
                    )
                )
            if row.item not in items:
                if row.item not in texts:
                    raise SeparError("delphi_new_item_text", where=where, value=row.item)
                text, section = texts[row.item]
                items[row.item] = tx.add(
                    build(
                        DelphiItem,
                        {
                            "study_id": study.id,
                            "code": row.item,
                            "text": text,
                            "section": section,
                            "added_round": first_round[row.item],
                            "order": len(items),
                        },
                        where,
                    )
                )
            _upsert(
                tx,
                build(
                    DelphiResponse,
                    {
                        "item_id": items[row.item].id,
                        "panellist_id": panel[row.panellist].id,
                        "round": row.round,
                        "suitable": row.suitable,
                        "importance": row.importance,
                        "comment": row.comment,
                    },
                    where,
                ),
            )
        rounds = max(r.round for r in rows)
        if rounds > study.current_round:
            study.current_round = rounds
            tx.update(study)
    return len(rows)
