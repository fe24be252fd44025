import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_it_creates_an_account_and_signs_the_person_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newresident",
            "email": "new@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newresident")
    assert user.email == "new@example.org"
    assert client.get("/").wsgi_request.user == user


@pytest.mark.django_db
def test_it_refuses_an_email_already_in_use_and_creates_nothing(client):
    UserFactory(username="existing", email="taken@example.org")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "someoneelse",
            "email": "TAKEN@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 200
    assert "An account already uses this address" in response.content.decode()
    assert not get_user_model().objects.filter(username="someoneelse").exists()


@pytest.mark.django_db
def test_it_ignores_a_next_url_on_another_site(client):
    response = client.post(
        "/accounts/signup/?next=https://evil.example.com/",
        {
            "username": "newvendor",
            "email": "v@example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


@pytest.mark.django_db
def test_it_signs_in_and_out(client):
    UserFactory(username="rita")
    response = client.post("/accounts/login/", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.is_authenticated
    client.post("/accounts/logout/")
    assert not client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_it_resets_a_forgotten_password_by_email(client):
    UserFactory(username="rita", email="rita@example.org")
    response = client.post("/accounts/password_reset/", {"email": "rita@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username="rita", password="another-long-passphrase")


@pytest.mark.django_db
def test_visitors_find_the_sign_up_page_from_every_page_and_the_sign_in_page(client):
    assert 'href="/accounts/signup/' in client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in client.get("/accounts/login/").content.decode()
