"""get_FOO_display() through shagym.choices: the same label Django gives, in the language active when it is shown."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, State


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_label_is_djangos_in_each_language(language):
    complaint = Complaint(status=State.UNDER_REVIEW, channel="office")
    event = ComplaintEvent(action=Action.REGISTER)
    with translation.override(language):
        assert complaint.get_status_display() == models.Model._get_FIELD_display(
            complaint, Complaint._meta.get_field("status"))
        assert event.get_action_display() == models.Model._get_FIELD_display(
            event, ComplaintEvent._meta.get_field("action"))
    with translation.override("kk"):
        kk = complaint.get_status_display()
    with translation.override("ru"):
        assert complaint.get_status_display() != kk  # translated when shown, not when first built


def test_the_models_shown_with_labels_use_the_table():
    from shagym.choices import ChoiceLabels
    from shagym.documents.models import Letter
    from shagym.notify.models import Delivery

    for model in (Complaint, ComplaintEvent, Letter, Delivery):
        assert model._get_FIELD_display is ChoiceLabels._get_FIELD_display, model  # the mixin before models.Model


def test_an_unknown_value_is_shown_as_it_is():
    assert Complaint(status="no-such-state").get_status_display() == "no-such-state"
