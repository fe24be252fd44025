"""Dates, times, numbers, money and step names as each reader reads them (core.timefmt,
core.numfmt, core.steps): the locale's own formats, the zone named in the reader's language,
and every step of every state machine with a label in both languages."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django_fsm import FSMFieldMixin

from core.numfmt import format_money, format_number, format_score
from core.steps import state_label, step_label
from core.timefmt import format_day, format_local, format_local_exact

NNBSP = "\u202f"  # narrow no-break space, as CLDR writes it before "p.m."
WINTER = datetime(2027, 1, 12, 18, 0, tzinfo=UTC)  # 14:00 AST in Moncton
SUMMER = datetime(2026, 7, 26, 17, 59, 59, 812000, tzinfo=UTC)  # 14:59:59.812 ADT


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        ("en", WINTER, f"Jan 12, 2027, 2:00{NNBSP}p.m. AST"),
        ("en", SUMMER, f"Jul 26, 2026, 2:59{NNBSP}p.m. ADT"),
        ("fr", WINTER, "12 janv. 2027, 14 h 00 HNA"),
        ("fr", SUMMER, "26 juill. 2026, 14 h 59 HAA"),
    ],
)
def test_a_moment_reads_in_the_locale_format_with_the_zone_named_in_its_language(
    language, moment, expected
):
    with translation.override(language):
        assert format_local(moment) == expected


def test_june_and_july_are_told_apart_in_french():
    with translation.override("fr"):
        assert format_day(date(2026, 6, 13)) == "13 juin 2026"
        assert format_day(date(2026, 7, 26)) == "26 juill. 2026"


def test_an_arrival_reads_to_the_millisecond_with_the_locale_decimal_mark():
    with translation.override("en"):
        assert format_local_exact(SUMMER) == f"Jul 26, 2026, 2:59:59.812{NNBSP}p.m. ADT"
    with translation.override("fr"):
        assert format_local_exact(SUMMER) == "26 juill. 2026, 14 h 59 min 59,812 s HAA"


@override_settings(TIME_ZONE="America/Vancouver")
def test_the_zone_is_the_municipality_s():
    with translation.override("en"):
        assert format_local(WINTER) == f"Jan 12, 2027, 10:00{NNBSP}a.m. PST"


def test_a_day_of_a_moment_is_the_local_day():
    late_evening = datetime(2027, 1, 13, 2, 30, tzinfo=UTC)  # 22:30 AST on the 12th
    with translation.override("en"):
        assert format_day(late_evening) == "Jan 12, 2027"


def test_nothing_reads_as_nothing():
    assert format_local(None) == format_local_exact(None) == format_day(None) == ""
    assert format_score(None) == format_money(None) == format_number("") == ""


@pytest.mark.parametrize(
    ("language", "score", "expected"),
    [
        ("en", Decimal("66.0000"), "66"),
        ("en", Decimal("66.6667"), "66.67"),
        ("en", Decimal("72.5000"), "72.5"),
        ("fr", Decimal("66.0000"), "66"),
        ("fr", Decimal("66.6667"), "66,67"),
    ],
)
def test_a_score_keeps_the_precision_that_matters(language, score, expected):
    with translation.override(language):
        assert format_score(score) == expected


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("en", Decimal("118500"), "$118,500"),
        ("en", Decimal("118500.50"), "$118,500.50"),
        ("fr", Decimal("118500"), "118\u00a0500\u00a0$"),
        ("fr", Decimal("118500.50"), "118\u00a0500,50\u00a0$"),
    ],
)
def test_money_reads_as_money_in_each_language(language, amount, expected):
    with translation.override(language):
        assert format_money(amount) == expected


@override_settings(MUNICIPALITY_CURRENCY="EUR")
def test_the_currency_is_a_setting():
    with translation.override("fr"):
        assert format_money(Decimal("10")) == "10\u00a0€"


def test_the_filters_print_the_same_as_the_functions():
    template = Template(
        "{% load civic %}{{ when|moment }}|{{ when|day }}|{{ points|score }}|{{ amount|money }}"
    )
    context = Context({"when": WINTER, "points": Decimal("7.50"), "amount": Decimal("1200")})
    with translation.override("fr"):
        assert template.render(context) == (
            "12 janv. 2027, 14 h 00 HNA|12 janv. 2027|7,5|1\u00a0200\u00a0$"
        )


# Steps and states ------------------------------------------------------------------------------


def _machines():
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                names = {
                    name
                    for name in dir(model)
                    if getattr(getattr(model, name, None), "_django_fsm", None) is not None
                    and getattr(model, name)._django_fsm.field.name == field.name
                }
                yield model, field, sorted(names)


def _humanised(code):
    return code.replace("_", " ").capitalize()


def test_every_transition_has_a_label_of_its_own_in_both_languages():
    unlabelled, untranslated = [], []
    for model, _field, names in _machines():
        for name in names:
            with translation.override("en"):
                english = step_label(model, name)
            with translation.override("fr"):
                french = step_label(model, name)
            if english == _humanised(name):
                unlabelled.append(f"{model._meta.label}.{name}")
            elif french == english:
                untranslated.append(f"{model._meta.label}.{name}: {english}")
    assert not unlabelled, "register these steps (core.steps) in their app's ready()"
    assert not untranslated


def test_every_state_reads_as_its_field_s_label_never_as_its_code():
    wrong = []
    for model, field, _names in _machines():
        for value, label in field.flatchoices:
            with translation.override("fr"):
                shown = state_label(model, value)
                if shown != str(label) or shown == value:
                    wrong.append(f"{model._meta.label}.{value}: {shown}")
    assert not wrong


def test_a_step_reads_by_its_model():
    with translation.override("en"):
        assert step_label("challenges.Challenge", "start_evaluation") == "Evaluation started"
        assert step_label("procurement.Pilot", "start") == "Pilot started"
        assert state_label("challenges.Challenge", "closed") == "Closed"
    with translation.override("fr"):
        assert step_label("challenges.Challenge", "start_evaluation") == "Début de l’évaluation"
        assert step_label("vendors.Proposal", "update") == "Modification"
        assert state_label("challenges.Challenge", "closed") == "Fermé"
