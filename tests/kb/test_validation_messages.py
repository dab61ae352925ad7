"""Validation errors are reported one way, in Dutch, wherever they come from."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kb.validation_messages import dutch_message, problems_of, summary


class _Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = Field(ge=1)
    name: str = Field(max_length=5)
    kind: str = "a"

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in ("a", "b"):
            raise ValueError("onbekende soort (a of b)")
        return value


def _errors(**data) -> list[dict]:
    with pytest.raises(ValidationError) as info:
        _Example(**data)
    return info.value.errors()


def test_each_error_type_in_dutch_with_its_limit():
    errors = _errors(count=0, name="te lange naam", kind="c", extra=1)
    assert problems_of(errors) == ["count: moet minstens 1 zijn",
                                   "name: is te lang (hoogstens 5 tekens)",
                                   "kind: onbekende soort (a of b)",  # our own text, unprefixed
                                   "extra: onbekend veld"]


def test_missing_field_and_unknown_error_type():
    assert problems_of(_errors(name="x")) == ["count: verplicht veld ontbreekt"]
    # a type without a translation is not shown in pydantic's English
    assert dutch_message({"type": "some_new_type", "msg": "Input should be …"}) == \
        "ongeldige waarde"


def test_location_without_field_and_summary_of_many():
    assert problems_of([{"type": "missing", "loc": ()}], whole="kaart") == \
        ["kaart: verplicht veld ontbreekt"]
    assert problems_of([{"type": "missing", "loc": ("body", "question")}]) == \
        ["question: verplicht veld ontbreekt"]
    assert summary([f"p{i}" for i in range(7)]) == "p0; p1; p2; p3; p4 (en nog 2 fout(en))"
