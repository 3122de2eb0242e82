"""Running GIS clients (GDAL's command-line tools, QGIS) against the live server of a test."""

import os
import re
import subprocess

from tests import factories as f


def authorization(person) -> str:
    """The ``Authorization`` header value the API client factory signs ``person`` in with."""
    return f.api(person)._credentials["HTTP_AUTHORIZATION"]


def environment(person) -> dict[str, str]:
    """A GIS client's environment: ``person``'s token in GDAL's headers, no proxy between it and the server."""
    return {
        **os.environ,
        "GDAL_HTTP_HEADERS": f"Authorization: {authorization(person)}",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "CPL_DEBUG": os.environ.get("CPL_DEBUG", "OFF"),
    }


def gdal(person, *command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=environment(person), timeout=60)
    assert done.returncode == 0, (done.returncode, done.stderr, done.stdout[-3000:])
    return done.stdout


def feature_count(person, source: str, *options: str) -> int:
    """How many features ``ogrinfo`` reads from ``source``, fetching them all rather than trusting a count."""
    listing = gdal(person, "ogrinfo", "-ro", "-al", "-q", *options, source)
    return len(re.findall(r"^OGRFeature\(", listing, re.M))
