"""Documents uploaded as evidence (an inspection report's photographs, a concern's answer): read a chunk at a time
up to settings.ATTACHMENT_MAX_BYTES, known by their content (never by their name alone), hashed with SHA-256,
and downloaded as they were uploaded. Inspection reports (``tracker.reports``) and concerns
(``tracker.concerns``) both take uploads through here."""

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

# The media types an attachment may be, each known by its first bytes and by the endings its names take.
MEDIA_TYPES: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "image/tiff": ((b"II*\x00", b"MM\x00*"), (".tif", ".tiff")),
    "application/pdf": ((b"%PDF-",), (".pdf",)),
    "text/plain": ((), (".txt",)),
}


@dataclass(frozen=True)
class Upload:
    """An upload as checked: its plain name, media type, bytes, SHA-256 and size."""

    name: str
    media_type: str
    content: bytes
    sha256: str
    size: int

    def fields(self) -> dict:
        return {field: getattr(self, field) for field in ("name", "media_type", "content", "sha256", "size")}


def read_within(chunks: Iterable[bytes], limit: int) -> bytes:
    """The upload's bytes, read a chunk at a time and never more than ``limit`` of them kept."""
    content = bytearray()
    for chunk in chunks:
        if len(content) + len(chunk) > limit:
            raise ValidationError(
                {"file": _("is larger than the %(limit)s bytes an attachment may be") % {"limit": f"{limit:,}"}}
            )
        content += chunk
    return bytes(content)


def media_type(name: str, content: bytes) -> str:
    """The allowed media type ``content`` is by its first bytes, which its name's ending must agree with."""
    ending = PurePath(name).suffix.lower()
    signed = [kind for kind, (signatures, _) in MEDIA_TYPES.items() if signatures and content.startswith(signatures)]
    found = signed[0] if signed else "text/plain" if _is_text(content) else None
    if found is None:
        allowed = ", ".join(MEDIA_TYPES)
        raise ValidationError(
            {
                "file": _("is none of the media types an attachment may be (%(allowed)s) by its content")
                % {"allowed": allowed}
            }
        )
    if ending not in MEDIA_TYPES[found][1]:
        if ending:
            refusal = _("%(name)s holds %(media_type)s, which a name ending in %(ending)s does not")
        else:
            refusal = _("%(name)s holds %(media_type)s, which a name ending in nothing does not")
        raise ValidationError({"file": refusal % {"name": repr(name), "media_type": found, "ending": ending}})
    return found


def _is_text(content: bytes) -> bool:
    try:
        return b"\x00" not in content and bool(content.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def checked(name: str, chunks: Iterable[bytes]) -> Upload:
    """The upload ``name``: its media type known by its content, its SHA-256 and size computed."""
    name = PurePath(name.replace("\\", "/")).name.strip()
    if not name:
        raise ValidationError({"file": _("has no name")})
    content = read_within(chunks, settings.ATTACHMENT_MAX_BYTES)
    if not content:
        raise ValidationError({"file": _("is empty")})
    return Upload(
        name=name[-255:],
        media_type=media_type(name, content),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def download(attachment) -> HttpResponse:
    """The attachment's bytes as a download the browser does not run or sniff, with its SHA-256."""
    response = HttpResponse(bytes(attachment.content), content_type=attachment.media_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["ETag"] = f'"{attachment.sha256}"'
    digest = base64.b64encode(bytes.fromhex(attachment.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response
