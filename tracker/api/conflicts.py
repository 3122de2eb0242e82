"""The API's exception handler: DRF's own, plus a write that lost a race for a unique value.

Two identical POSTs at the same instant both pass the serializers' uniqueness checks; the second
INSERT then fails on the database's unique constraint. That is the client's conflict with another
request, not a server error: 409, naming the field, and the request's transaction rolled back.
"""

import re

from django.db import IntegrityError
from django.utils.translation import gettext as _
from psycopg import errors
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

# PostgreSQL's detail of a unique violation: Key (reference)=(N-1) already exists.
KEY = re.compile(r"Key \((?P<columns>[^)]*)\)=")


def conflicting_fields(error: errors.UniqueViolation) -> list[str]:
    match = KEY.search(error.diag.message_detail or "")
    if not match:
        return ["non_field_errors"]
    return [column.strip().removesuffix("_id") for column in match["columns"].split(",")]


def handle(exception: Exception, context: dict) -> Response | None:
    if isinstance(exception, IntegrityError) and isinstance(exception.__cause__, errors.UniqueViolation):
        set_rollback()
        message = _("already exists: another request stored the same value first; nothing was stored")
        return Response(
            {field: [message] for field in conflicting_fields(exception.__cause__)}, status=status.HTTP_409_CONFLICT
        )
    return exception_handler(exception, context)
