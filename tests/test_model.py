"""Validation of single records: codes, labels, lengths, required fields."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from separ.errors import SeparError
from separ.model import Attendance, Group, Organisation, OrgType, Participant, Session, Workshop
from separ.validation import build


def test_codes_accept_labels_in_both_languages() -> None:
    assert Organisation(name="a", type="마을기업").type == OrgType.village_enterprise
    assert Organisation(name="a", type="village enterprise").type == OrgType.village_enterprise
    assert Participant(name="a", group="연구진").group == Group.research
    assert OrgType.social_cooperative.label("ko") == "사회적협동조합"


def test_every_choice_has_both_labels() -> None:
    for choice in (OrgType, Group):
        for code in choice:
            assert set(choice.labels()[code.value]) == {"ko", "en"}


def test_unknown_type_names_the_field_and_the_choices() -> None:
    with pytest.raises(SeparError) as err:
        build(Organisation, {"name": "a", "type": "주식회사"}, "orgs.json: organisations[0]")
    message = err.value.message("ko")
    assert message.startswith("orgs.json: organisations[0], 유형: 알 수 없는 값입니다: 주식회사")
    assert err.value.message("en").startswith("orgs.json: organisations[0], type: unknown value")
    assert "social_enterprise (사회적기업)" in message


def test_oversized_text_is_refused() -> None:
    with pytest.raises(SeparError) as err:
        build(Organisation, {"name": "가" * 201}, "row 2")
    assert err.value.message("en") == "row 2, name: text is too long (201 characters, at most 200)"


def test_missing_required_field() -> None:
    with pytest.raises(SeparError) as err:
        build(Workshop, {"region": "논산시"})
    # without a file, the place is the record itself; the field by its label in Korean
    assert err.value.message("ko") == "워크숍, 제목: 필수 항목이 없습니다"
    assert err.value.message("en") == "Workshop, title: required field is missing"


def test_workshop_rounds_and_attendance_rules() -> None:
    with pytest.raises(ValidationError):
        Session(kind="workshop")
    assert Session(kind="공유회의").round is None
    with pytest.raises(ValidationError):
        Attendance(session_id="s1")
    with pytest.raises(ValidationError):
        Workshop(title="t", region="r", plan_start=2024, plan_end=2022)
