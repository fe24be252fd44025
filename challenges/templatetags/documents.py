"""{% documents_for challenge "contract" as attached_documents %}: the documents the current
reader may see on one place, for challenges/documents/_attached.html (one query)."""

from django import template

from challenges.documents.selectors import documents_for_place

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_for(context, challenge, attached_to, addendum=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    return documents_for_place(
        challenge=challenge, user=user, attached_to=attached_to, addendum=addendum
    )
