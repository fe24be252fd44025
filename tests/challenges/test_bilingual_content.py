"""Content in both official languages: readers see their language when it was written, else the
other one, tagged with its `lang` and marked "(French only)" / « (en anglais seulement) »."""

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Addendum, Challenge, EngagementActivity, Question
from core.models import AuditEntry
from tests.factories import AddendumFactory, QuestionFactory, set_status

FRENCH_MARK = '<span class="language-mark">(French only)</span>'
ENGLISH_MARK = '<span class="language-mark">(en anglais seulement)</span>'


def board(client, language):
    return client.get(reverse("challenges:board"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def detail(client, challenge, language):
    return client.get(challenge.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.fixture
def both(published_challenge):
    """A published challenge whose statement is written in both languages."""
    Challenge.objects.filter(pk=published_challenge.pk).update(
        title_fr="Aider les résidents à chauffer leur logement à prix abordable",
        summary_fr="Les ménages consacrent une trop grande part de leur revenu à l’énergie.",
        problem_fr="Un ménage sur cinq consacre plus de 6 % de son revenu à l’énergie.",
    )
    published_challenge.refresh_from_db()
    return published_challenge


def test_a_french_reader_sees_the_french_statement_without_a_mark(client, both):
    html = detail(client, both, "fr")
    assert "Aider les résidents à chauffer leur logement" in html
    assert "Un ménage sur cinq consacre plus de 6 %" in html
    assert "Help residents heat their homes" not in html
    assert ENGLISH_MARK not in html.split("Un ménage sur cinq")[1].split("</dd>")[0]


def test_an_english_reader_sees_the_english_statement_without_a_mark(client, both):
    html = detail(client, both, "en")
    assert both.title_en in html
    assert "One in five households" in html
    assert FRENCH_MARK not in html


def test_a_french_reader_sees_english_only_text_tagged_and_marked(client, both):
    html = detail(client, both, "fr")
    # The context was written in English only.
    assert f' lang="en"><p>{both.context_en}</p> {ENGLISH_MARK}</dd>' in html


def test_an_english_reader_sees_french_only_text_tagged_and_marked(client, published_challenge):
    Challenge.objects.filter(pk=published_challenge.pk).update(
        summary_en="", summary_fr="Un résumé écrit en français seulement."
    )
    html = detail(client, published_challenge, "en")
    assert f' lang="fr">Un résumé écrit en français seulement. {FRENCH_MARK}</p>' in html
    assert f' lang="fr">Un résumé écrit en français seulement. {FRENCH_MARK}</p>' in board(
        client, "en"
    )


def test_the_board_shows_each_reader_the_title_in_their_language(client, both):
    Challenge.objects.filter(pk=both.pk).update(summary_fr="")
    french = board(client, "fr")
    assert ">Aider les résidents à chauffer leur logement à prix abordable</a></h2>" in french
    assert f' lang="en">{both.summary_en} {ENGLISH_MARK}</p>' in french
    english = board(client, "en")
    assert f">{both.title_en}</a></h2>" in english


def test_an_addendum_written_in_french_only_is_marked_for_english_readers(
    client, published_challenge
):
    addendum = AddendumFactory(challenge=published_challenge)
    Addendum.objects.filter(pk=addendum.pk).update(
        title_en="",
        title_fr="Précision sur la résidence des données",
        body_en="",
        body_fr="Tout hébergement au Canada est acceptable.",
    )
    set_status(addendum, "issued", number=1, issued_at=timezone.now())

    english = detail(client, published_challenge, "en")
    assert f'<span lang="fr">Précision sur la résidence des données</span> {FRENCH_MARK}' in english
    assert f'<p lang="fr">Tout hébergement au Canada est acceptable. {FRENCH_MARK}</p>' in english
    french = detail(client, published_challenge, "fr")
    assert "<span>Précision sur la résidence des données</span></h3>" in french
    assert "<p>Tout hébergement au Canada est acceptable.</p>" in french


def test_an_answer_in_english_only_is_marked_for_french_readers(client, published_challenge):
    question = QuestionFactory(challenge=published_challenge)
    set_status(
        question, "answered", answer_en="Yes, through the open API.", answered_at=timezone.now()
    )

    french = detail(client, published_challenge, "fr")
    assert f'<p lang="en">Yes, through the open API. {ENGLISH_MARK}</p>' in french
    Question.objects.filter(pk=question.pk).update(answer_fr="Oui, par l’API ouverte.")
    french = detail(client, published_challenge, "fr")
    assert "<p>Oui, par l’API ouverte.</p>" in french


def test_an_activity_summary_falls_back_to_the_other_language_with_a_mark(
    client, published_challenge
):
    EngagementActivity.objects.filter(challenge=published_challenge).update(
        summary_en="", summary_fr="Les résidents ont décrit des pièces froides."
    )
    english = detail(client, published_challenge, "en")
    assert (
        f'<td lang="fr">Les résidents ont décrit des pièces froides. {FRENCH_MARK}</td>' in english
    )
    french = detail(client, published_challenge, "fr")
    assert "<td>Les résidents ont décrit des pièces froides.</td>" in french


# Writing in both languages ----------------------------------------------------------------------


def test_the_statement_form_asks_each_text_in_both_languages(client, alice, challenge):
    client.force_login(alice)
    html = client.get(reverse("challenges:edit", args=[challenge.reference])).content.decode()
    for label in ("Title", "Summary", "Problem", "Context", "Desired outcomes", "Success measures"):
        assert f"{label} in English" in html
        assert f"{label} in French" in html
    assert 'name="title_fr"' in html and 'lang="fr"' in html


def test_a_statement_written_in_french_only_is_saved_and_audited(client, alice, department):
    client.force_login(alice)
    response = client.post(
        reverse("challenges:create"),
        {
            "title_en": "",
            "title_fr": "Des trottoirs dégagés après la neige",
            "problem_fr": "Les personnes en fauteuil roulant n’atteignent pas les arrêts.",
            "department": department.pk,
        },
    )

    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert (challenge.title_en, challenge.title_fr) == (
        None,
        "Des trottoirs dégagés après la neige",
    )
    entry = AuditEntry.objects.get(transition="create", object_id=str(challenge.pk))
    assert entry.metadata["changes"]["title_fr"]["after"] == "Des trottoirs dégagés après la neige"
    assert entry.metadata["changes"]["title_en"]["after"] is None


def test_a_statement_without_a_title_in_either_language_is_refused(client, alice, department):
    client.force_login(alice)
    response = client.post(
        reverse("challenges:create"),
        {"title_en": " ", "title_fr": "", "department": department.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title_en"] == [
        "Title: write it in English, in French or in both."
    ]
    assert not Challenge.objects.exists()


def test_the_french_form_names_the_languages_in_french(client, alice, challenge):
    client.force_login(alice)
    html = client.get(
        reverse("challenges:edit", args=[challenge.reference]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "en anglais" in html and "en français" in html


def test_an_addendum_is_written_in_both_languages(client, alice, published_challenge):
    client.force_login(alice)
    response = client.post(
        reverse("challenges:addendum_add", args=[published_challenge.reference]),
        {
            "title_en": "Site visit",
            "title_fr": "Visite des lieux",
            "body_en": "A site visit is offered on June 3.",
            "body_fr": "Une visite des lieux est offerte le 3 juin.",
        },
    )

    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert (addendum.title_fr, addendum.body_fr) == (
        "Visite des lieux",
        "Une visite des lieux est offerte le 3 juin.",
    )
    entry = AuditEntry.objects.get(transition="create", object_id=str(addendum.pk))
    assert entry.metadata["changes"]["body_fr"]["after"] == addendum.body_fr


def test_an_addendum_without_a_body_in_either_language_is_refused(
    client, alice, published_challenge
):
    client.force_login(alice)
    response = client.post(
        reverse("challenges:addendum_add", args=[published_challenge.reference]),
        {"title_fr": "Visite des lieux", "body_en": "", "body_fr": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["body_en"] == [
        "What changes: write it in English, in French or in both."
    ]
    assert not Addendum.objects.exists()


def test_an_answer_is_published_in_french_and_recorded(client, alice, published_challenge):
    question = QuestionFactory(challenge=published_challenge)
    client.force_login(alice)
    response = client.post(
        reverse("challenges:question_answer", args=[published_challenge.reference, question.pk]),
        {"answer_en": "", "answer_fr": "Oui, par l’API ouverte."},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert (question.answer_en, question.answer_fr) == (None, "Oui, par l’API ouverte.")
    entry = AuditEntry.objects.get(transition="publish_answer", object_id=str(question.pk))
    assert entry.metadata["answer_fr"] == "Oui, par l’API ouverte."


# The API ----------------------------------------------------------------------------------------


def test_the_api_takes_and_gives_the_statement_in_both_languages(api_as, alice, department):
    response = api_as(alice).post(
        "/api/challenges/",
        {
            "title_fr": "Des trottoirs dégagés",
            "summary_en": "Clear sidewalks.",
            "department": department.slug,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title_en"], body["title_fr"]) == (None, "Des trottoirs dégagés")
    assert body["title"] == "Des trottoirs dégagés"  # the requester's language, else the other
    detail = api_as(alice).get(f"/api/challenges/{body['reference']}/").json()
    assert (detail["summary_en"], detail["summary_fr"]) == ("Clear sidewalks.", None)
    assert "problem_fr" in detail


def test_the_api_refuses_a_challenge_without_a_title_in_either_language(api_as, alice, department):
    response = api_as(alice).post(
        "/api/challenges/", {"title_en": " ", "department": department.slug}, format="json"
    )

    assert response.status_code == 400
    assert "title_en" in response.json()
    assert not Challenge.objects.exists()


def test_the_api_publishes_an_answer_in_french(api_as, alice, published_challenge):
    question = QuestionFactory(challenge=published_challenge)
    response = api_as(alice).post(
        f"/api/questions/{question.pk}/publish_answer/",
        {"answer_fr": "Oui, par l’API ouverte."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["answer_en"], response.json()["answer_fr"]) == (
        None,
        "Oui, par l’API ouverte.",
    )


def test_the_api_takes_an_addendum_in_both_languages(api_as, alice, published_challenge):
    response = api_as(alice).post(
        f"/api/challenges/{published_challenge.reference}/addenda/",
        {
            "title_en": "Site visit",
            "title_fr": "Visite des lieux",
            "body_fr": "Une visite des lieux est offerte le 3 juin.",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title_en"], body["title_fr"], body["body_en"]) == (
        "Site visit",
        "Visite des lieux",
        None,
    )
    assert body["body"] == "Une visite des lieux est offerte le 3 juin."


def test_a_copy_keeps_the_statement_in_both_languages(alice, both):
    from challenges.copying import challenge_copy

    copy = challenge_copy(origin=both, actor=alice)

    assert copy.title_en == f"Copy of {both.title_en}"
    assert copy.title_fr == f"Copie de {both.title_fr}"
    assert copy.problem_fr == both.problem_fr
    assert copy.summary_en == both.summary_en
