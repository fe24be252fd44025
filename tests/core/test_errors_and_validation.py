"""Service errors carry sentences and field errors; validation turns model errors into them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy

from challenges.models import Question
from core.errors import InvalidInput, PermissionDenied, ServiceError, TransitionRefused
from core.permissions import can, require
from core.validation import full_clean_or_invalid
from tests.factories import QuestionFactory


def test_one_message_is_one_sentence_even_when_lazy():
    assert ServiceError("Try again.").messages == ["Try again."]
    assert ServiceError(gettext_lazy("Try again later.")).messages == ["Try again later."]
    assert str(ServiceError(["One.", gettext_lazy("Two.")])) == "One. Two."


def test_field_errors_become_plain_strings():
    error = InvalidInput("Fix the form.", field_errors={"title": [gettext_lazy("Required.")]})

    assert error.field_errors == {"title": ["Required."]}


def test_a_refused_transition_carries_the_allowed_steps():
    error = TransitionRefused(["Not now."], allowed=("cancel",))

    assert (error.messages, error.allowed, error.field_errors) == (["Not now."], ["cancel"], {})


@pytest.mark.django_db
def test_validation_enforces_a_text_fields_length(published_challenge, dave):
    question = Question(challenge=published_challenge, asked_by=dave, body="x" * 4001)

    with pytest.raises(InvalidInput) as invalid:
        full_clean_or_invalid(question)

    assert invalid.value.field_errors == {
        "body": ["Ensure this value has at most 4000 characters (it has 4001)."]
    }


@pytest.mark.django_db
def test_validation_leaves_the_state_field_alone(published_challenge, dave):
    question = QuestionFactory(challenge=published_challenge, asked_by=dave)

    full_clean_or_invalid(question)

    assert question.status == Question.Status.SUBMITTED


@pytest.mark.django_db
def test_validation_gathers_every_field_error(published_challenge, dave):
    question = Question(challenge=published_challenge, asked_by=dave, body="")

    with pytest.raises(InvalidInput) as invalid:
        full_clean_or_invalid(question)

    assert list(invalid.value.field_errors) == ["body"]
    assert invalid.value.messages == ["This field cannot be blank."]


@pytest.mark.django_db
def test_require_raises_with_the_given_sentence(rita, alice):
    require(alice, "challenges.add_challenge")

    with pytest.raises(PermissionDenied, match="Only staff."):
        require(rita, "challenges.add_challenge", message="Only staff.")
    with pytest.raises(PermissionDenied, match="You do not have permission to do this."):
        require(AnonymousUser(), "challenges.add_challenge")
    assert not can(AnonymousUser(), "challenges.add_challenge")
