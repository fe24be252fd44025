"""REST API of "you said, we did" (docs/engagement.md): /api/challenges/<ref>/themes/ and
/api/challenges/<ref>/theme-assignments/. Reading follows challenges.view_inputtheme (404
otherwise) and counts published input only; writing follows challenges.change_inputtheme (403),
checked before the input is read, then again by the service under lock."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.api import error_responses
from core.errors import InvalidInput
from core.permissions import can, require

from . import theme_services as services
from .api import CHALLENGE_REFERENCE, ID_PATTERN
from .models import Challenge, CommunityInput, InputTheme
from .theme_selectors import public_themes

TAGS = ["you said, we did"]


class ThemeOutput(serializers.ModelSerializer):
    title = serializers.CharField(
        read_only=True, help_text=_("In the reader's language if written in it, else the other.")
    )
    you_said = serializers.CharField(read_only=True)
    we_did = serializers.CharField(read_only=True)
    published_input_count = serializers.IntegerField(
        read_only=True, help_text=_("How many published contributions the theme groups.")
    )

    class Meta:
        model = InputTheme
        fields = [
            "id",
            "position",
            "title",
            "you_said",
            "we_did",
            *services.THEME_FIELDS,
            "published_input_count",
            "updated_at",
        ]


class ThemeInput(serializers.ModelSerializer):
    """Each text in English, French or both (at least one language each); on update, only the
    fields sent change."""

    class Meta:
        model = InputTheme
        fields = list(services.THEME_FIELDS)


class ThemeMoveInput(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=services.MOVE_DIRECTIONS,
        help_text=_("“up” swaps the theme with the one before it, “down” with the one after."),
    )


class ThemeAssignmentInput(serializers.Serializer):
    input = serializers.IntegerField(min_value=1, help_text=_("The community input's id."))
    theme = serializers.IntegerField(
        min_value=1,
        allow_null=True,
        help_text=_("The theme to group it under; null to take it out of its theme."),
    )


class ThemeAssignmentOutput(serializers.Serializer):
    input = serializers.IntegerField()
    theme = serializers.IntegerField(allow_null=True)


class _ThemeBase(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    lookup_value_regex = ID_PATTERN

    def get_challenge(self) -> Challenge:
        challenge = Challenge.objects.filter(reference=self.kwargs["challenge_reference"]).first()
        if challenge is None or not can(self.request.user, "challenges.view_inputtheme", challenge):
            raise Http404
        return challenge

    def owned_challenge(self) -> Challenge:
        challenge = self.get_challenge()
        require(
            self.request.user,
            "challenges.change_inputtheme",
            challenge,
            str(services.THEME_DENIED),
        )
        return challenge

    def output(self, challenge, pk) -> dict:
        return ThemeOutput(public_themes(challenge=challenge).get(pk=pk)).data


class ThemeViewSet(mixins.ListModelMixin, _ThemeBase):
    serializer_class = ThemeOutput
    queryset = InputTheme.objects.none()

    def get_queryset(self):
        return public_themes(challenge=self.get_challenge())

    def _theme(self, challenge) -> InputTheme:
        theme = InputTheme.objects.filter(pk=self.kwargs["pk"], challenge=challenge).first()
        if theme is None:
            raise Http404
        theme.challenge = challenge
        return theme

    @extend_schema(
        summary=_("The themes of a challenge's input, with what the city did about each"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={
            200: ThemeOutput(many=True),
            **error_responses(bad_input=False, forbidden=False),
        },
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("One theme of a challenge's input"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ThemeOutput, **error_responses(bad_input=False, forbidden=False)},
    )
    def retrieve(self, request, *args, **kwargs):
        challenge = self.get_challenge()
        return Response(self.output(challenge, self._theme(challenge).pk))

    @extend_schema(
        summary=_("Add a theme (owner, from co-design until the challenge ends)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ThemeInput,
        responses={201: ThemeOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        serializer = ThemeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        theme = services.theme_create(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(self.output(challenge, theme.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a theme (owner, from co-design until the challenge ends)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ThemeInput,
        responses={200: ThemeOutput, **error_responses(conflict=True)},
    )
    def partial_update(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        theme = self._theme(challenge)
        serializer = ThemeInput(theme, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.theme_update(theme=theme, actor=request.user, **serializer.validated_data)
        return Response(self.output(challenge, theme.pk))

    @extend_schema(
        summary=_("Delete a theme; its input is kept, no longer grouped (owner)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={204: None, **error_responses(bad_input=False, conflict=True)},
    )
    def destroy(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        services.theme_delete(theme=self._theme(challenge), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Move a theme one place up or down (owner)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ThemeMoveInput,
        responses={200: ThemeOutput, **error_responses(conflict=True)},
    )
    def move(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        theme = self._theme(challenge)
        serializer = ThemeMoveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.theme_move(theme=theme, actor=request.user, **serializer.validated_data)
        return Response(self.output(challenge, theme.pk))


class ThemeAssignmentViewSet(_ThemeBase):
    serializer_class = ThemeAssignmentOutput
    queryset = CommunityInput.objects.none()

    @extend_schema(
        summary=_("Group community input under a theme, or take it out (owner)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ThemeAssignmentInput,
        responses={200: ThemeAssignmentOutput, **error_responses(conflict=True)},
    )
    def create(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        serializer = ThemeAssignmentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        community_input = CommunityInput.objects.filter(
            pk=data["input"], challenge=challenge
        ).first()
        if community_input is None:
            raise InvalidInput(
                _("This input is not part of this challenge."),
                field_errors={"input": [_("Choose input given on this challenge.")]},
            )
        if data["theme"] is None:
            community_input = services.input_unassign_theme(
                community_input=community_input, actor=request.user
            )
        else:
            theme = InputTheme.objects.filter(pk=data["theme"], challenge=challenge).first()
            if theme is None:
                raise InvalidInput(
                    _("Choose a theme of this input's challenge."),
                    field_errors={"theme": [_("Choose a theme of this challenge.")]},
                )
            community_input = services.input_assign_theme(
                community_input=community_input, theme=theme, actor=request.user
            )
        return Response({"input": community_input.pk, "theme": community_input.theme_id})


def theme_urlpatterns(child: str) -> list:
    """The themes' routes under a challenge (`child`: the challenge's path pattern)."""
    from django.urls import re_path

    base = "^" + child
    return [
        re_path(
            base + "/themes/$",
            ThemeViewSet.as_view({"get": "list", "post": "create"}),
            name="challenge-theme-list",
        ),
        re_path(
            base + f"/themes/(?P<pk>{ID_PATTERN})/$",
            ThemeViewSet.as_view(
                {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
            ),
            name="challenge-theme-detail",
        ),
        re_path(
            base + f"/themes/(?P<pk>{ID_PATTERN})/move/$",
            ThemeViewSet.as_view({"post": "move"}),
            name="challenge-theme-move",
        ),
        re_path(
            base + "/theme-assignments/$",
            ThemeAssignmentViewSet.as_view({"post": "create"}),
            name="challenge-theme-assignment",
        ),
    ]
