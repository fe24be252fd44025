from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import Problem, audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain and report every modified, deleted and inserted "
        "entry. With --against, also check that a chain head kept from its publication is still "
        "part of the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--against",
            metavar="DIGEST",
            help="a digest kept from the published chain head (/audit/head/)",
        )

    def handle(self, *args, against=None, **options):
        against = (against or "").strip().lower() or None
        count, breaks = audit_verify(against=against)
        for chain_break in breaks:
            self.stderr.write(str(chain_break))
        if breaks:
            tally = ", ".join(
                f"{sum(1 for b in breaks if b.kind == kind)} {kind}"
                for kind in (Problem.MODIFIED, Problem.DELETED, Problem.INSERTED)
            )
            raise CommandError(
                f"The audit chain is broken in {len(breaks)} place(s): {tally} "
                f"({count} entries checked)."
            )
        message = f"Audit chain intact: {count} entries verified."
        if against:
            message += f" The kept head {against} is part of it."
        self.stdout.write(self.style.SUCCESS(message))
