import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from tracker.ledger import book, heads

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Sign a tree head of the ledger as it stands now with the tracker's key (settings.LEDGER_KEY_FILE). "
        "With --daily, run until stopped (SIGTERM or SIGINT), signing one whenever none was signed in the last "
        "24 hours: the published daily head."
    )

    def add_arguments(self, parser):
        parser.add_argument("--daily", action="store_true", help="keep a head signed at least once a day")

    def handle(self, *args, daily=False, **options):
        if not daily:
            self.report(book.sign_tree_head())
            return
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        while not stopping:
            try:
                head = heads.daily()
            except OperationalError as failure:
                # The database is away (a restart): the head is signed once it is back.
                logger.warning("sign_tree_head: database unavailable (%s); trying again", failure)
                connection.close()
                head = None
            if head is not None:
                self.report(head)
            for _second in range(settings.TREE_HEAD_WORKER_IDLE_SECONDS):
                if stopping:
                    break
                time.sleep(1)

    def report(self, head) -> None:
        self.stdout.write(
            _("tree head %(head)s: size %(size)d, root %(root)s, signed at %(signed_at)s")
            % {"head": head.pk, "size": head.size, "root": head.root, "signed_at": head.signed_at}
        )
