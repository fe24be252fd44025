"""The documents page (the challenge's owner) and the download every reader uses.

Whoever may not read a document gets 404, exactly as for one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirmation_needed, confirmation_page
from core.errors import InvalidInput, TransitionRefused
from core.files import document_response
from core.permissions import require

from ..forms import apply_service_errors
from ..models import Addendum
from ..views import visible_challenge
from . import selectors, services
from .attachments import challenge_states
from .forms import DocumentAttachForm, WithdrawForm, place_choices

# The service names the place in two fields; the page asks for it in one.
_PLACE_FIELDS = {"attached_to": "place", "addendum": "place"}


def _owned_challenge(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(request.user, "challenges.manage_documents", challenge, str(services.MANAGE_DENIED))
    return challenge


def _to_page(challenge, anchor: str = "documents"):
    url = reverse("challenges:documents", args=[challenge.reference])
    return redirect(f"{url}#{anchor}")


@login_required
def documents_page(request, reference):
    """Every document of the challenge, by place, with the form that attaches one."""
    challenge = _owned_challenge(request, reference)
    states = challenge_states(challenge)
    draft_addenda = list(challenge.addenda.filter(status=Addendum.Status.DRAFT).order_by("id"))
    form = DocumentAttachForm(
        request.POST or None,
        request.FILES or None,
        places=place_choices(states=states, draft_addenda=draft_addenda),
    )
    if request.method == "POST" and form.is_valid():
        attached_to, addendum_pk = form.chosen_place()
        addendum = next((a for a in draft_addenda if a.pk == addendum_pk), None)
        try:
            document = services.document_attach(
                challenge=challenge,
                actor=request.user,
                attached_to=attached_to,
                addendum=addendum,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                language=form.cleaned_data["language"],
                confidential=form.cleaned_data["confidential"],
                confidential_reason=form.cleaned_data["confidential_reason"],
                upload=form.cleaned_data["file"],
            )
        except InvalidInput as exc:
            exc.field_errors = {
                _PLACE_FIELDS.get(name, name): errors for name, errors in exc.field_errors.items()
            }
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            form.add_error("place", " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("“%(title)s” attached (%(name)s).")
                % {"title": document.title, "name": document.original_name},
            )
            return _to_page(challenge, f"document-{document.public_id}")
    documents = list(selectors.challenge_documents_for(challenge=challenge, user=request.user))
    for document in documents:
        document.challenge = challenge
        document.removal = services.document_removal(document, states)
        document.withdraw_form = WithdrawForm(auto_id=f"id_withdraw_{document.public_id}_%s")
    context = {
        "challenge": challenge,
        "groups": selectors.documents_by_place(documents, challenge=challenge),
        "form": form,
        "states": states,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "challenges/documents/page.html", context, status=status)


@require_POST
@login_required
def document_remove(request, reference, public_id):
    """Delete a document nobody outside staff could read yet, or withdraw a public one; both ask
    first (core/confirm.py)."""
    challenge = _owned_challenge(request, reference)
    document = selectors.document_for_reader(
        challenge=challenge, public_id=public_id, user=request.user
    )
    removal = services.document_removal(document)
    form = WithdrawForm(request.POST)
    reason = form.data.get("reason", "")
    if removal and confirmation_needed(request):
        key = f"challenges.document_{'withdraw' if removal == 'withdraw' else 'delete'}"
        if removal == "withdraw" and not " ".join(reason.split()):
            messages.error(
                request,
                _(
                    "Say why the document is withdrawn: it stays listed, with your reason, "
                    "because it was public."
                ),
            )
            return _to_page(challenge, f"document-{document.public_id}")
        return confirmation_page(
            request,
            key,
            document,
            back_url=f"{reverse('challenges:documents', args=[challenge.reference])}#documents",
            shown=[(_("Why it is withdrawn"), reason)],
            context={"challenge": challenge},
        )
    try:
        services.document_remove(document=document, actor=request.user, reason=reason)
    except (InvalidInput, TransitionRefused) as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _to_page(challenge, f"document-{document.public_id}")
    if removal == "withdraw":
        messages.success(request, _("“%(title)s” withdrawn.") % {"title": document.title})
        return _to_page(challenge, f"document-{document.public_id}")
    messages.success(request, _("“%(title)s” deleted.") % {"title": document.title})
    return _to_page(challenge)


def document_download(request, reference, public_id):
    challenge = visible_challenge(request.user, reference)
    document = selectors.document_for_download(
        challenge=challenge, public_id=public_id, user=request.user
    )
    return document_response(document)
