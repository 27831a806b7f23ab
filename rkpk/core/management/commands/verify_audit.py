from django.core.management.base import BaseCommand, CommandError

from rkpk.core.audit import anchor_dir, verify_chain, write_anchor


class Command(BaseCommand):
    requires_system_checks = []  # operational: start fast (issue 13.15)
    help = (
        "Check the audit trail: recompute the keyed hash chain (RKPK_AUDIT_KEY and "
        "RKPK_AUDIT_OLD_KEYS) and compare every anchor in the anchor files with it. Exit 1 "
        "naming the first broken event and every anchor that differs. --anchor then writes "
        "an anchor of the current head (e.g. right after an upgrade or a key rotation)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="After a clean check, append the current head to the anchor file.",
        )

    def handle(self, *args, anchor=False, **options):
        report = verify_chain()
        if not report.ok:
            lines = [f"  - {problem}" for problem in report.problems]
            intact = (
                f"{report.checked} events before it are intact"
                if not report.chain_ok
                else f"{report.checked} events verified"
            )
            first = f"#{report.broken_seq}" if not report.chain_ok else "an anchor"
            raise CommandError(
                f"Audit trail broken at {first} ({intact}; {report.anchors_checked} anchors "
                f"read from {anchor_dir()}):\n" + "\n".join(lines)
            )
        self.stdout.write(
            f"Audit trail intact: {report.checked} events verified "
            f"({report.unkeyed} from before the key), {report.anchors_checked} anchors match."
        )
        if anchor:
            written = write_anchor()
            if written is None:
                self.stdout.write("The head is already anchored.")
            else:
                self.stdout.write(
                    f"Anchored event #{written.data['seq']} in {anchor_dir() / written.file}."
                )
