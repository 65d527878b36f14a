import pytest

from desktop_app.domain.national_id import IdKind, IdProblem, check_id, make_valid_id, mask_id


def test_valid_national_id() -> None:
    result = check_id("A123456789")
    assert result.valid and result.kind is IdKind.NATIONAL


def test_lowercase_and_fullwidth_are_normalised() -> None:
    assert check_id(" ａ123456789 ").valid


def test_wrong_check_digit() -> None:
    assert check_id("A123456788").problem is IdProblem.CHECKSUM


@pytest.mark.parametrize("value", ["A12345678", "1234567890", "A323456789", "AA1234567", "A12345678X"])
def test_wrong_shape(value: str) -> None:
    assert check_id(value).problem is IdProblem.SHAPE


def test_empty() -> None:
    assert check_id("  ").problem is IdProblem.EMPTY


def test_old_arc_and_new_uniform_number() -> None:
    old = make_valid_id("AC1234567")
    assert check_id(old).kind is IdKind.OLD_ARC and check_id(old).valid
    # the second letter counts as its letter value's units digit: C -> 2
    assert not check_id(old[:-1] + str((int(old[-1]) + 1) % 10)).valid
    new = make_valid_id("A80000001")
    assert check_id(new).kind is IdKind.NEW_UNIFORM and check_id(new).valid


def test_masking() -> None:
    assert mask_id("A123456789") == "A12345****"
    assert mask_id("A123456789", "XXX****XXX") == "A12****789"
    assert mask_id("") == ""
