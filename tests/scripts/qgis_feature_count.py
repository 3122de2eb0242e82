"""Open an OGC API – Features collection with QGIS's OAPIF provider and print how many features it has.

Run by Debian's python3 (QGIS's Python bindings are not in the virtualenv):
    python3 qgis_feature_count.py URL COLLECTION
with the ``Authorization`` header value in the environment as TRACKER_AUTHORIZATION.
"""

import os
import sys

from qgis.core import QgsApplication, QgsNetworkAccessManager, QgsVectorLayer

url, collection = sys.argv[1:3]
authorization = os.environ["TRACKER_AUTHORIZATION"].encode()

QgsApplication.setPrefixPath("/usr", True)
application = QgsApplication([], False)
application.initQgis()
# QGIS 3.22 has no per-connection HTTP header: every request this process makes carries the token.
QgsNetworkAccessManager.setRequestPreprocessor(lambda request: request.setRawHeader(b"Authorization", authorization))
layer = QgsVectorLayer(f"url='{url}' typename='{collection}' pageSize='2'", collection, "OAPIF")
opened = layer.isValid()
if opened:
    print(sum(1 for _ in layer.getFeatures()))
else:
    print(f"QGIS could not open {collection} at {url}", file=sys.stderr)
del layer
# Leaving without exitQgis would crash the interpreter on its way out.
application.exitQgis()
sys.exit(0 if opened else 1)
