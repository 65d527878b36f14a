from datetime import date

import pytest

from desktop_app.domain.roc_date import (
    RocDateError,
    Term,
    format_roc,
    format_roc_long,
    parse_roc_date,
    school_year_of,
    term_of,
)


@pytest.mark.parametrize(
    "text",
    [
        "113/9/2",
        "113/09/02",
        "113年9月2日",
        "民國113年9月2日",
        "1130902",
        "2024-09-02",
        "１１３／０９／０２",
        " 113-9-2 ",
    ],
)
def test_parse_forms(text: str) -> None:
    assert parse_roc_date(text) == date(2024, 9, 2)


def test_compact_number_lost_leading_zero() -> None:
    assert parse_roc_date("920315") == date(2003, 3, 15)


@pytest.mark.parametrize("text", ["", "abc", "113/2/30", "113/13/01", "1130230", "113年2月"])
def test_bad_input_says_what(text: str) -> None:
    with pytest.raises(RocDateError) as err:
        parse_roc_date(text)
    assert "日期" in str(err.value)


def test_format() -> None:
    assert format_roc(date(2024, 9, 2)) == "113/09/02"
    assert format_roc_long(date(2024, 9, 2)) == "113年9月2日"
    assert format_roc(None) == ""


def test_term_boundaries() -> None:
    assert term_of(date(2024, 7, 31)) == Term(112, 2)
    assert term_of(date(2024, 8, 1)) == Term(113, 1)
    assert term_of(date(2025, 1, 31)) == Term(113, 1)
    assert term_of(date(2025, 2, 1)) == Term(113, 2)
    assert school_year_of(date(2023, 8, 1)) == 112
    t = Term(112, 1)
    assert (t.start, t.end) == (date(2023, 8, 1), date(2024, 1, 31))
    assert Term(112, 2).start == date(2024, 2, 1) and Term(112, 2).end == date(2024, 7, 31)
    assert Term.parse("113-1") == Term(113, 1)
    assert Term.parse("113學年度第2學期") == Term(113, 2)
    assert Term(113, 1).previous() == Term(112, 2) and Term(112, 2).next() == Term(113, 1)
    with pytest.raises(ValueError):
        Term.parse("113-3")
