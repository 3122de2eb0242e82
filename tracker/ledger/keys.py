"""Officers' signing keys: each user registers their own Ed25519 public key for the party they are accredited
to, and revokes it; an administrator may revoke any key. A revocation is final and dated: signatures made
before it stay valid, later ones are refused (``book.signing_key``). The database keeps a key as registered
and lets only its first revocation through (``tracker.models.ledger``)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.ledger.signatures import UnusableKey, fingerprint, public_key_bytes
from tracker.models import SigningKey
from tracker.models.parties import party_of, reads_everything
from tracker.steps import WrongState


def prepared(user, text: str, at: datetime.datetime | None = None) -> SigningKey:
    """``user``'s public key ``text`` (PEM, or base64 of its 32 bytes), in force from ``at`` (now) for the
    party they are accredited to, checked and not yet saved; ValidationError naming ``public_key`` otherwise."""
    party = party_of(user)
    if party is None:
        raise ValidationError(
            {"public_key": _("you are accredited to no state party: a signing key signs for the party of its holder")}
        )
    try:
        raw = public_key_bytes(text or "")
    except UnusableKey as error:
        raise ValidationError({"public_key": _(error.reason) % error.params}) from None
    named = fingerprint(raw)
    if SigningKey.objects.filter(fingerprint=named).exists():
        raise ValidationError(
            {
                "public_key": _("is registered already (fingerprint %(fingerprint)s): a key is registered once")
                % {"fingerprint": named}
            }
        )
    return SigningKey(fingerprint=named, public_key=raw, party=party, user=user, valid_from=at or timezone.now())


def register(user, text: str, at: datetime.datetime | None = None) -> SigningKey:
    """Register ``user``'s key (``prepared``)."""
    key = prepared(user, text, at)
    try:
        with transaction.atomic():
            key.save(force_insert=True)
    except IntegrityError:  # the same key registered at the same moment by another request
        raise ValidationError(
            {"public_key": _("is registered already (fingerprint %(fingerprint)s)") % {"fingerprint": key.fingerprint}}
        ) from None
    return key


def may_revoke(user, key: SigningKey) -> bool:
    """A key is revoked by its holder, or by an administrator (the tracker's own key included)."""
    return reads_everything(user) or (key.user_id is not None and key.user_id == user.pk)


def revoke(user, key: SigningKey, at: datetime.datetime | None = None) -> SigningKey:
    """Revoke ``key`` from ``at`` (now): PermissionDenied unless ``may_revoke``, WrongState when it is revoked
    already (a revocation is final)."""
    if not may_revoke(user, key):
        raise PermissionDenied(_("a signing key is revoked by its holder or by an administrator"))
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            raise WrongState(
                {"revoked_at": _("the key was revoked at %(at)s: for good") % {"at": key.revoked_at.isoformat()}}
            )
        at = at or timezone.now()
        if at < key.valid_from:
            raise ValidationError({"revoked_at": _("is before the key came into force")})
        key.revoked_at = at
        key.save(update_fields=["revoked_at"])
    return key
