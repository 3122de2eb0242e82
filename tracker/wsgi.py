import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# Before the settings load: this process serves web requests, whose statements are time-limited.
os.environ["TRACKER_WEB_PROCESS"] = "1"
application = get_wsgi_application()
