import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from tracker.webhooks import deliver_next

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the alerts' webhook deliveries that are due, retrying failed ones with backoff; runs until stopped "
        "(SIGTERM or SIGINT end it after the delivery in hand), or with --once until none is due."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due now, then exit")

    def handle(self, *args, once=False, **options):
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        while not stopping:
            try:
                delivery = deliver_next()
            except OperationalError as failure:
                if once:
                    raise
                # The database is away (a restart): the deliveries wait in it, so the worker waits too.
                logger.warning("deliver_alerts: database unavailable (%s); trying again", failure)
                connection.close()
                delivery = None
            if delivery is not None:
                what = {"delivery": delivery.pk, "url": delivery.webhook.url, "error": delivery.last_error}
                if delivery.delivered_at:
                    self.stdout.write(_("delivery %(delivery)s to %(url)s: delivered") % what)
                else:
                    self.stdout.write(_("delivery %(delivery)s to %(url)s: failed (%(error)s)") % what)
                continue
            if once:
                return
            time.sleep(settings.ALERT_WORKER_IDLE_SECONDS)
