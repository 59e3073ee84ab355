"""codes.py: the access code printed on a paper talon (RULES §5). Shown once, stored only as a keyed hash, replaced
when issued again; long and random enough that the status page's attempt limit makes guessing hopeless."""

from __future__ import annotations

import math

import pytest

from shagym.complaints import codes
from shagym.complaints.models import AccessCode


def test_the_code_is_stored_only_as_a_hash(paper):
    code = codes.issue_access_code(paper)
    stored = AccessCode.objects.get(complaint=paper)
    assert codes.normalise_code(code) not in stored.code_hash
    assert code not in stored.code_hash
    assert codes.check_access_code(paper.number, code) == paper


def test_codes_are_long_random_and_from_the_readable_alphabet():
    # A constant, a short code or a predictable one would fail here: 500 codes, all different, 8 characters from
    # 31 (about 40 bits each); every character of the alphabet turns up.
    issued = [codes.normalise_code(codes.new_code()) for _ in range(500)]
    assert len(set(issued)) == len(issued)
    assert {len(code) for code in issued} == {8}
    assert set("".join(issued)) == set(codes.ALPHABET)
    assert not set(codes.ALPHABET) & set("01OIL")  # no characters read wrongly off paper
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 39


def test_the_code_is_forgiving_about_case_spaces_and_dashes(paper):
    code = codes.issue_access_code(paper)
    assert codes.check_access_code(f" {paper.number} ", code.lower().replace("-", " ")) == paper


def test_only_the_whole_code_opens_the_status(paper):
    code = codes.normalise_code(codes.issue_access_code(paper))
    assert codes.check_access_code(paper.number, code[:-1]) is None
    assert codes.check_access_code(paper.number, code + "2") is None
    assert codes.check_access_code(paper.number, code[:4]) is None


def test_issuing_again_replaces_the_old_code(paper):
    old = codes.issue_access_code(paper)
    new = codes.issue_access_code(paper)
    assert old != new
    assert AccessCode.objects.count() == 1
    assert codes.check_access_code(paper.number, new) == paper
    assert codes.check_access_code(paper.number, old) is None


def test_a_wrong_code_or_number_finds_nothing(paper):
    code = codes.issue_access_code(paper)
    assert codes.check_access_code(paper.number, "AAAA-AAAA") is None
    assert codes.check_access_code("99-999-99999", code) is None
    assert codes.check_access_code("", "") is None


def test_a_complaint_without_a_code_cannot_be_checked(registered):
    assert not AccessCode.objects.filter(complaint=registered).exists()
    assert codes.check_access_code(registered.number, "") is None
    assert codes.check_access_code(registered.number, "-") is None


@pytest.mark.parametrize("code", ["", "2345-6789", "ZZZZ-ZZZZ"])
def test_the_code_of_one_complaint_does_not_open_another(paper, registered, code):
    mine = codes.issue_access_code(paper)
    assert codes.check_access_code(registered.number, mine) is None
    assert codes.check_access_code(registered.number, code) is None
