"""IIN and BIN check digits (RULES §3, glossary)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shagym.complaints.identifiers import check_digit, is_valid_bin, is_valid_iin, make_bin, make_iin


@pytest.mark.parametrize(
    "iin",
    [
        "900517300019",  # 9*1 + 5*4 + 1*5 + 7*6 + 3*7 + 1*11 = 108; 108 mod 11 = 9
    ],
)
def test_known_valid_iin(iin):
    assert check_digit(iin[:11]) == int(iin[11])


@pytest.mark.parametrize(
    "value",
    ["", "12345", "90051730001", "9005173000177", "90051730001x", "９００５１７３０００１７", "901317300015", "900517700012", "900517300017"],
)
def test_malformed_iins_are_refused(value):
    assert not is_valid_iin(value)


def test_second_weights_are_used_when_the_first_sum_gives_10():
    # 11 digits whose first weighted sum is 10 mod 11 need the second weight set.
    first = "00000000010"  # 1 * 10 = 10 -> second weights: 1 * 1 = 1
    assert check_digit(first) == 1


@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["m", "f"]), st.integers(1, 9000))
def test_built_iins_are_valid_and_a_changed_digit_is_caught(birth, sex, serial):
    iin = make_iin(birth, sex=sex, serial=serial)
    assert is_valid_iin(iin)
    last = (int(iin[11]) + 1) % 10
    assert not is_valid_iin(iin[:11] + str(last))


@given(st.integers(2000, 2099), st.integers(1, 12), st.integers(1, 90000))
def test_built_bins_are_valid(year, month, serial):
    value = make_bin(year, month, serial=serial)
    assert is_valid_bin(value)


def test_bin_needs_a_legal_entity_type_digit():
    value = make_bin(2015, 4)
    assert is_valid_bin(value)
    assert not is_valid_bin(value[:4] + "1" + value[5:])
