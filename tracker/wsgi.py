import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# Before the settings load: this process serves web requests, whose statements are time-limited.
os.environ["TRACKER_WEB_PROCESS"] = "1"
application = get_wsgi_application()

# The collector of reference cycles stops every thread while it walks the objects it tracks, a full walk taking
# over 100 ms once kept answers fill the heap. What is loaded by now lives as long as the process: frozen, no
# walk visits it again; and young objects are collected by the 50,000 rather than the 700, so the walks come
# seldom. Under 50 polling monitors and two officers submitting at 1,000,000 lines, reads' p99 went from
# 413-428 ms to 312-324 ms (bench/load.py).
gc.freeze()
gc.set_threshold(50_000, 20, 100)
