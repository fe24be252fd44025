"""API shapes for open data (DESIGN.md §6)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from challenges.models import Challenge

from . import ocds


class OpenDataChallengeOutput(serializers.ModelSerializer):
    ocid = serializers.SerializerMethodField()
    release_package = serializers.SerializerMethodField(
        help_text=_("The OCDS release package of this challenge.")
    )
    record = serializers.SerializerMethodField(help_text=_("The OCDS record of this challenge."))

    class Meta:
        model = Challenge
        fields = [
            "reference",
            "title",
            "status",
            "published_at",
            "ocid",
            "release_package",
            "record",
        ]

    def get_ocid(self, challenge) -> str:
        return ocds.ocid(challenge)

    def _link(self, name, challenge) -> str:
        path = reverse(name, kwargs={"reference": challenge.reference})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_release_package(self, challenge) -> str:
        return self._link("open-data-release-package", challenge)

    def get_record(self, challenge) -> str:
        return self._link("open-data-record", challenge)
