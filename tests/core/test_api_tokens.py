"""Personal API tokens (django-rest-knox): made and revoked on the account's token page, shown
once, stored as a digest, audited; HTTP Basic still works beside them."""

import base64
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from core import services
from core.errors import InvalidInput, PermissionDenied
from core.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"
API = "/api/proposals/"


def with_token(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def make_on_page(client, user, **data):
    client.force_login(user)
    return client.post(PAGE, {"name": "Submission script", **data})


def test_a_token_is_made_on_the_page_shown_once_and_stored_as_a_digest(client, dave):
    response = make_on_page(client, dave)

    assert response.status_code == 200
    token = ApiToken.objects.get(user=dave)
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert token.name == "Submission script"
    assert secret not in (token.digest, token.token_key)
    assert response["Cache-Control"] == "private, no-store"
    # Shown once: the page, opened again, lists it by its first characters only.
    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert "Submission script" in again and token.token_key[:8] in again
    entry = AuditEntry.objects.get(content_type__model="apitoken", transition="create")
    assert entry.actor == dave
    assert token.digest not in str(entry.metadata) and secret not in str(entry.metadata)


def test_a_token_authenticates_the_api(client, dave):
    secret = make_on_page(client, dave).context["secret"]

    response = with_token(secret).get(API)

    assert response.status_code == 200
    assert with_token(secret + "x").get(API).status_code in (401, 403)


def test_a_revoked_token_no_longer_works_and_its_revocation_is_audited(client, dave):
    secret = make_on_page(client, dave).context["secret"]
    token = ApiToken.objects.get(user=dave)

    response = client.post(f"{PAGE}{token.pk}/revoke/", follow=True)

    assert "revoked: it no longer works" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert with_token(secret).get(API).status_code in (401, 403)
    entry = AuditEntry.objects.get(content_type__model="apitoken", transition="delete")
    assert (entry.actor, entry.object_id) == (dave, str(token.pk))


def test_an_expired_token_is_refused(dave):
    token, secret = services.api_token_create(
        user=dave, name="Short", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert with_token(secret).get(API).status_code == 200

    with time_machine.travel(token.expiry + timedelta(seconds=1)):
        assert with_token(secret).get(API).status_code in (401, 403)


def test_nobody_revokes_another_persons_token(client, dave, erin):
    token, secret = services.api_token_create(user=dave, name="Dave's")
    client.force_login(erin)

    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, actor=erin)

    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert with_token(secret).get(API).status_code == 200
    assert not AuditEntry.objects.filter(transition="delete").exists()


def test_anonymous_visitors_neither_see_the_page_nor_pass_with_a_made_up_token(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{PAGE}1/revoke/").status_code == 302
    assert with_token("not-a-token").get(API).status_code in (401, 403)
    assert not ApiToken.objects.exists()


def test_bad_input_makes_no_token_and_says_why(client, dave):
    response = make_on_page(client, dave, name="  ")
    assert "This field is required." in response.content.decode()
    with pytest.raises(InvalidInput) as refused:
        services.api_token_create(
            user=dave, name="Late", expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert refused.value.field_errors == {
        "expires_at": ["Choose an expiry in the future, or none."]
    }
    assert not ApiToken.objects.exists()


def test_http_basic_still_works_beside_tokens(dave):
    dave.set_password("a long enough passphrase")
    dave.save()
    client = APIClient()
    credentials = base64.b64encode(b"dave:a long enough passphrase").decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert client.get(API).status_code == 200
