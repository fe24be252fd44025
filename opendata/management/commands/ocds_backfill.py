from django.core.management.base import BaseCommand

from challenges.models import Challenge
from opendata.services import releases_backfill


class Command(BaseCommand):
    help = (
        "Store a first set of OCDS releases for each published challenge that has none: data "
        "loaded as history (seed_demo) or published before releases were stored. Challenges "
        "that have releases are left as they are."
    )

    def handle(self, *args, **options):
        stored = 0
        for challenge in Challenge.objects.filter(published_at__isnull=False).order_by("pk"):
            stored += len(releases_backfill(challenge=challenge))
        self.stdout.write(f"Stored {stored} release(s).")
