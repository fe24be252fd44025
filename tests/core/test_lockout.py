"""Password guessing and mass sign-ups are slowed down: after LOGIN_FAILURE_LIMIT failed sign-ins
for one username from one address (sign-in page or HTTP Basic), that pair is refused, right
password or not, with a sentence, until the lockout ends; account creation is limited per address
and hour."""

import base64
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
LOCKED = "Too many failed sign-in attempts for this account from your network."


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.SIGNUP_LIMIT_PER_HOUR = 2


@pytest.fixture
def rita(db):
    return UserFactory(username="rita")


def sign_in(client, password, username="rita", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def fail(client, times, **extra):
    for _ in range(times):
        response = sign_in(client, "wrong-password", **extra)
    return response


def test_a_right_password_works_below_the_limit(client, rita):
    response = fail(client, LIMIT - 1)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()

    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_clears_the_count(client, rita):
    fail(client, LIMIT - 1)
    sign_in(client, PASSWORD)
    client.post(reverse("logout"))

    response = fail(client, LIMIT - 1)

    assert response.status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_page_locks_the_username_after_the_limit_even_with_the_right_password(client, rita):
    response = fail(client, LIMIT)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    text = response.content.decode()
    assert "<h1>Too many attempts</h1>" in text
    assert "Signing in is paused for 15 minutes" in text
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_the_lockout_page_is_in_the_reader_s_language(client, rita):
    response = fail(client, LIMIT + 1, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 429
    assert 'lang="fr"' in response.content.decode()


def test_the_lockout_sentence_is_translated(client, rita):
    catalogue = (Path(__file__).parents[2] / "locale/fr/LC_MESSAGES/django.po").read_text()
    if "Too many failed sign-in attempts for this account" not in catalogue:
        pytest.skip("the French catalogue does not have the lockout sentence yet")
    response = fail(client, LIMIT + 1, HTTP_ACCEPT_LANGUAGE="fr")

    text = response.content.decode()
    assert LOCKED not in text
    assert "Trop de tentatives de connexion" in text


def test_the_lockout_ends_after_the_cool_off_and_the_right_password_works_again(client, rita):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(client, LIMIT)
        clock.shift(timedelta(minutes=14))
        # Attempts during the lockout do not extend it.
        assert sign_in(client, "wrong-password").status_code == 429
        assert sign_in(client, PASSWORD).status_code == 429

        clock.shift(timedelta(minutes=1, seconds=1))
        response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_the_lockout_is_per_username_and_address(client, rita):
    UserFactory(username="bob")
    fail(client, LIMIT)

    # Another person at the same address, and rita from elsewhere, still sign in.
    assert sign_in(client, PASSWORD, username="bob").status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


# HTTP Basic on the API ---------------------------------------------------------------------------


def basic(password, username="rita"):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_http_basic_locks_the_username_after_the_limit(api_client, rita):
    url = "/api/challenges/"
    assert api_client.get(url, **basic(PASSWORD)).status_code == 200
    for _ in range(LIMIT - 1):
        # Refused as before (403: session authentication comes first, so DRF sends no challenge).
        assert api_client.get(url, **basic("wrong-password")).status_code == 403

    response = api_client.get(url, **basic("wrong-password"))
    assert response.status_code == 429
    assert response.json()["detail"].startswith(LOCKED)

    response = api_client.get(url, **basic(PASSWORD))

    assert response.status_code == 429
    assert "Signing in is paused for 15 minutes" in response.json()["detail"]
    assert response["Retry-After"] == "900"


def test_http_basic_and_the_page_count_together(client, api_client, rita):
    fail(client, LIMIT - 1)

    assert api_client.get("/api/challenges/", **basic("wrong-password")).status_code == 429
    assert sign_in(client, PASSWORD).status_code == 429


def test_http_basic_works_again_after_the_cool_off(api_client, rita):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(LIMIT):
            api_client.get("/api/challenges/", **basic("wrong-password"))
        assert api_client.get("/api/challenges/", **basic(PASSWORD)).status_code == 429

        clock.shift(timedelta(minutes=15, seconds=1))
        response = api_client.get("/api/challenges/mine/", **basic(PASSWORD))

    assert response.status_code != 429


# Account creation --------------------------------------------------------------------------------


def sign_up(client, n, **extra):
    return client.post(
        reverse("signup"),
        {
            "username": f"newcomer{n}",
            "email": f"newcomer{n}@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
        **extra,
    )


def test_account_creation_is_limited_per_address_and_hour(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(2):
            assert sign_up(client, n).status_code == 302
            client.post(reverse("logout"))

        response = sign_up(client, 2)

        assert response.status_code == 429
        assert "Too many accounts were requested from your network" in response.content.decode()
        assert not get_user_model().objects.filter(username="newcomer2").exists()
        # Another address is not held back.
        assert sign_up(client, 3, REMOTE_ADDR="203.0.113.9").status_code == 302
        client.post(reverse("logout"))

        clock.shift(timedelta(hours=1, seconds=1))
        assert sign_up(client, 2).status_code == 302

    assert get_user_model().objects.filter(username="newcomer2").exists()


def test_behind_a_proxy_the_forwarded_address_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(2):
        assert sign_up(client, n, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
        client.post(reverse("logout"))

    # A client cannot escape by writing its own address at the left of the header.
    spoofed = sign_up(client, 2, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    other = sign_up(client, 3, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert spoofed.status_code == 429
    assert other.status_code == 302
