from django.core.management.base import BaseCommand, CommandError

from opendata import ocds, packages, selectors


class Command(BaseCommand):
    help = (
        "Validate every published challenge's OCDS release package, record package and each "
        "release against the official schema with the local extensions applied, offline. Exits "
        "with an error listing what the schema refuses."
    )

    def handle(self, *args, **options):
        problems = []
        checked = 0
        for challenge in selectors.open_data_challenges():
            package = packages.release_package(challenge)
            if package is None:
                continue
            checked += 1
            found = [
                *ocds.validation_errors(package),
                *ocds.validation_errors(packages.record_package(challenge), kind="record"),
            ]
            problems += [f"{challenge.reference}: {error}" for error in found]
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"{checked} challenge(s): every package is valid.")
