from django.core.management.base import BaseCommand, CommandError

from evaluation.models import Evaluation
from evaluation.services import ranking_differences


class Command(BaseCommand):
    help = (
        "Recompute a challenge's ranking from its stored inputs (scores, prices, recorded draw) "
        "and compare it with the stored ranking. Exits with an error on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The challenge's reference, e.g. FRED-2026-004.")

    def handle(self, *args, reference, **options):
        evaluation = (
            Evaluation.objects.select_related("challenge", "plan")
            .filter(challenge__reference=reference)
            .first()
        )
        if evaluation is None:
            raise CommandError(f"No evaluation for a challenge with reference {reference}.")
        differences = ranking_differences(evaluation)
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(
                f"The stored ranking of {reference} does not match its inputs "
                f"({len(differences)} difference(s))."
            )
        count = evaluation.ranking_entries.count()
        self.stdout.write(
            f"The stored ranking of {reference} matches its inputs ({count} proposals, "
            f"inputs digest {evaluation.ranking_inputs_digest})."
        )
