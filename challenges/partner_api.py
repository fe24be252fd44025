"""REST API of input gathered offline (docs/engagement.md): POST
/api/challenges/<ref>/community-input/offline/, beside the residents' own input. Open to the
challenge's owner and its partners' contacts while input is open (challenges.record_offline_input,
403 otherwise), checked before the input is read, then again by the service under lock."""

from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import error_responses
from core.permissions import can, require

from .api import CHALLENGE_REFERENCE
from .input_services import (
    OFFLINE_INPUT_FIELDS,
    OFFLINE_SOURCES,
    community_input_record_offline,
    offline_input_denied_message,
)
from .models import Challenge, CommunityInput, PartnerOrganization, PriorityGroup
from .serializers import CommunityInputOutput, DepartmentSlugField


class OfflineInputInput(serializers.ModelSerializer):
    """What the resident gave, as they gave it; the stage and who recorded it are the server's."""

    source = serializers.ChoiceField(
        choices=[c for c in CommunityInput.Source.choices if c[0] in OFFLINE_SOURCES],
        help_text=_("How it was gathered: paper, phone, pop_up, email or meeting."),
    )
    # NUL-safe, like the department's: PostgreSQL refuses a NUL in a query.
    groups = DepartmentSlugField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=PriorityGroup.objects.filter(active=True),
        help_text=_("Slugs of the priority groups the resident said they belong to (optional)."),
    )
    partner = serializers.PrimaryKeyRelatedField(
        queryset=PartnerOrganization.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "The partner organization that gathered it (owner only; a partner's contact "
            "records for their own organization)."
        ),
    )

    class Meta:
        model = CommunityInput
        fields = OFFLINE_INPUT_FIELDS


class OfflineInputViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = CommunityInputOutput
    queryset = CommunityInput.objects.none()

    @extend_schema(
        summary=_("Record input gathered on paper, by phone or at a pop-up (owner or partner)"),
        description=_(
            "For the challenge's owner and the contact person of one of its community partners, "
            "while input is open. It is moderated like input given online and published only "
            "with `consent_to_publish`."
        ),
        tags=["co-design"],
        parameters=[CHALLENGE_REFERENCE],
        request=OfflineInputInput,
        responses={201: CommunityInputOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        challenge = Challenge.objects.filter(reference=kwargs["challenge_reference"]).first()
        if challenge is None or not can(request.user, "challenges.view_challenge", challenge):
            raise Http404
        require(
            request.user,
            "challenges.record_offline_input",
            challenge,
            offline_input_denied_message(challenge),
        )
        serializer = OfflineInputInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["groups"] = list(data.get("groups", []))
        recorded = community_input_record_offline(challenge=challenge, actor=request.user, **data)
        output = CommunityInputOutput(recorded, context={"show_identity": True})
        return Response(output.data, status=status.HTTP_201_CREATED)


def partner_urlpatterns(child: str) -> list:
    return [
        re_path(
            "^" + child + "/community-input/offline/$",
            OfflineInputViewSet.as_view({"post": "create"}),
            name="challenge-community-input-offline",
        ),
    ]
