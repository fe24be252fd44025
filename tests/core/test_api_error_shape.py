"""Every API error is JSON of one shape, the one the schema documents (docs/api.md)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/challenges/%C2%84/",  # a reference in the wrong form matches no endpoint
        "/api/evaluations/%C2%84/rank/",
        "/api/no-such-thing/",
    ],
)
def test_a_path_under_api_that_matches_nothing_answers_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_matches_nothing_keeps_its_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_bad_input_answers_the_sentence_the_messages_and_the_field_errors(
    api_as, alice, published_challenge
):
    response = api_as(alice).post(
        f"/api/challenges/{published_challenge.reference}/cancel/", {}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Correct these fields and send the request again: reason."
    assert body["errors"] == ["This field is required."]
    assert body["reason"] == ["This field is required."]
    published_challenge.refresh_from_db()
    assert published_challenge.status == "published"


def test_a_page_past_the_last_answers_the_same_json_404(api_as, alice):
    response = api_as(alice).get("/api/challenges/?page=99")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
