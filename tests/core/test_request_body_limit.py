"""A request whose declared body is over REQUEST_BODY_MAX_BYTES is refused (413) with a sentence
before anything reads the body; bodies within the cap go through as before."""

import pytest
from django.conf import settings as live
from django.urls import reverse

from challenges.models import Challenge

CAP = 4096


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def cap(settings):
    settings.REQUEST_BODY_MAX_BYTES = CAP
    return CAP


def oversized(**extra):
    return {"CONTENT_LENGTH": str(CAP + 1), "wsgi.input": UnreadableBody(), **extra}


def test_an_oversized_api_request_is_refused_unread_and_changes_nothing(api_as, alice, cap):
    before = Challenge.objects.count()

    response = api_as(alice).generic(
        "POST", "/api/challenges/", b"", content_type="application/json", **oversized()
    )

    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The request is larger than 4.0\xa0KB, so nothing was received or saved. "
        "Send less: a document may be at most 10.0\xa0MB."
    )
    assert Challenge.objects.count() == before


def test_an_oversized_form_post_gets_a_page_that_says_what_to_do(client, alice, cap):
    client.force_login(alice)

    response = client.generic(
        "POST",
        reverse("challenges:create"),
        b"",
        content_type="multipart/form-data; boundary=x",
        **oversized(),
    )

    assert response.status_code == 413
    text = response.content.decode()
    assert "<h1>Request too large</h1>" in text
    assert "so nothing was received or saved" in text


def test_the_sentence_is_in_the_reader_s_language(client, cap):
    response = client.generic("POST", reverse("login"), b"", **oversized(HTTP_ACCEPT_LANGUAGE="fr"))

    assert response.status_code == 413
    assert 'lang="fr"' in response.content.decode()


def test_a_body_at_the_cap_reaches_the_view(api_as, alice, settings):
    body = b'{"title": "' + b"x" * 200 + b'"}'
    settings.REQUEST_BODY_MAX_BYTES = len(body)

    response = api_as(alice).generic(
        "POST", "/api/challenges/", body, content_type="application/json"
    )

    # The view answered (field errors for a half-filled challenge), not the cap.
    assert response.status_code == 400, response.content
    assert "title" not in response.json()


def test_the_default_cap_leaves_room_for_the_largest_document():
    assert live.REQUEST_BODY_MAX_BYTES > live.VENDOR_DOCUMENT_MAX_BYTES
    assert live.REQUEST_BODY_MAX_BYTES > live.DATA_UPLOAD_MAX_MEMORY_SIZE
