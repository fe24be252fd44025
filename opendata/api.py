"""REST API for open data (DESIGN.md §6): public, no sign-in; 404 until a challenge is published.

The release package serves the releases stored when each stage happened; the record is compiled
from them (`opendata.packages`)."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from challenges.api import REFERENCE_PATTERN
from challenges.models import Challenge
from core.api import error_responses
from procurement.selectors import is_published

from . import packages, selectors
from .serializers import OpenDataChallengeOutput

NOT_VISIBLE = error_responses(bad_input=False, forbidden=False)
OPEN_DATA_TAGS = ["open data"]


OCDS_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT, description=gettext_lazy("An OCDS 1.1 package (JSON).")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Published challenges, with links to their OCDS data"),
        tags=OPEN_DATA_TAGS,
        auth=[],
    ),
)
class OpenDataViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open contracting data of every published challenge (OCDS 1.1)."""

    serializer_class = OpenDataChallengeOutput
    permission_classes = [AllowAny]
    filter_backends = []
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_PATTERN

    def get_queryset(self):
        if self.action == "list":
            return selectors.open_data_index()
        return selectors.open_data_challenges()

    def _challenge(self) -> Challenge:
        challenge = self.get_queryset().filter(reference=self.kwargs["reference"]).first()
        if challenge is None or not is_published(challenge):
            raise Http404
        return challenge

    @extend_schema(
        summary=gettext_lazy("The challenge's OCDS release package"),
        tags=OPEN_DATA_TAGS,
        auth=[],
        responses={200: OCDS_PACKAGE, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"], url_path="release-package", url_name="release-package")
    def release_package(self, request, *args, **kwargs):
        package = packages.release_package(self._challenge())
        if package is None:
            raise Http404
        return Response(package)

    @extend_schema(
        summary=gettext_lazy("The challenge's OCDS record package"),
        tags=OPEN_DATA_TAGS,
        auth=[],
        responses={200: OCDS_PACKAGE, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"], url_path="record", url_name="record")
    def record(self, request, *args, **kwargs):
        package = packages.record_package(self._challenge())
        if package is None:
            raise Http404
        return Response(package)
