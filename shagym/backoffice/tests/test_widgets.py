"""The fast selects draw what Django's selects draw: the same options, values, labels, selection and attributes."""

from __future__ import annotations

import re

from django import forms

from shagym.backoffice.widgets import FastSelect, FastSelectMultiple


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, " selected" in rest, label)
            for value, rest, label in re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', html)]


def opening(html: str) -> set[str]:
    tag = html[:html.index(">")]
    return set(re.findall(r'[\w-]+="[^"]*"|\bmultiple\b', tag))


CHOICES = [("", "any"), ("1", "Білім <басқармасы>"), ("2", "Акимат & Co"), ("Groups", [("3", "inner")])]


def test_a_fast_select_draws_the_same_select_as_django():
    for plain, fast, value in ((forms.Select, FastSelect, "2"), (forms.SelectMultiple, FastSelectMultiple, ["1", "3"])):
        attrs = {"id": "id_body", "aria-describedby": "body-help", "size": 4}
        expected = plain(attrs=attrs, choices=CHOICES).render("body", value)
        got = fast(attrs=attrs, choices=CHOICES).render("body", value)
        assert options(got) == options(expected) and options(got)
        assert opening(got) == opening(expected)  # the name and every attribute
        assert ('<optgroup label="Groups">' in got) and ("&lt;басқармасы&gt;" in got) and ("&amp; Co" in got)
