"""The ledger's tables: the signing keys of parties' officers and of the tracker, the entries of accepted
records, the Merkle tree's complete subtrees, the tree heads the tracker signs and the receipts other parties
sign for them (docs/ledger.md).

Nothing here is ever changed or deleted, whoever asks, except that a key is revoked once: the database
refuses it (SQLSTATE 23001, restrict_violation, an IntegrityError in Django), and refuses the runtime role
the privilege as well (``tracker.database_roles``). An entry's key must be in force when the entry is
accepted and belong to the entry's party: the database checks that too.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models.concerns import ConcernStep
from tracker.models.declarations import Notification
from tracker.models.inspections import Inspection, sha256_hex
from tracker.models.parties import StateParty, readable

APPEND_ONLY = """
    RAISE EXCEPTION '% is append-only: its rows cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
"""

REVOKE_ONCE = """
    IF TG_OP = 'UPDATE' AND OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
       AND to_jsonb(NEW) - 'revoked_at' = to_jsonb(OLD) - 'revoked_at' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a signing key is kept as registered: it can only be revoked, once'
        USING ERRCODE = 'restrict_violation';
"""

# An entry comes next in the ledger, and is signed (if at all) by a key of its party in force at that moment.
NEXT_ENTRY = """
    IF NEW.index <> (SELECT COALESCE(MAX(index) + 1, 0) FROM tracker_ledgerentry) THEN
        RAISE EXCEPTION 'ledger entry % does not come next', NEW.index USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.key_id IS NOT NULL AND NOT EXISTS (
        SELECT FROM tracker_signingkey k
        WHERE k.id = NEW.key_id AND k.party_id = NEW.party_id AND k.valid_from <= NEW.accepted_at
          AND (k.revoked_at IS NULL OR NEW.accepted_at < k.revoked_at)
    ) THEN
        RAISE EXCEPTION 'ledger entry %: the key is not one of its party''s in force when it was accepted', NEW.index
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
"""


def append_only(name: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name, when=pgtrigger.Before, operation=pgtrigger.Update | pgtrigger.Delete, func=APPEND_ONLY
    )


class PublicQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PublicQuerySet":
        """Keys, tree heads and receipts are for everyone with a role: they are what signatures are checked with."""
        return readable(self, user)


class SigningKeyQuerySet(PublicQuerySet):
    def in_force(self, at) -> "SigningKeyQuerySet":
        return self.filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at), valid_from__lte=at)


class SigningKey(models.Model):
    """An Ed25519 public key: an officer's (``user``) for their party, or the tracker's own (no party), which
    signs tree heads. Dated and revocable: a revoked key's earlier signatures stay valid, later ones are not."""

    fingerprint = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("fingerprint"))
    public_key = models.BinaryField(verbose_name=_("public key"))
    party = models.ForeignKey(
        StateParty, null=True, blank=True, on_delete=models.PROTECT, related_name="keys", verbose_name=_("party")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
        verbose_name=_("user"),
    )
    valid_from = models.DateTimeField(default=timezone.now, verbose_name=_("valid from"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    demo = models.BooleanField(
        default=False, help_text=_("A demonstration key: its private half is published"), verbose_name=_("demo")
    )

    objects = SigningKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                name="signing_key_is_ed25519", condition=Exact(Func(F("public_key"), function="octet_length"), 32)
            ),
            models.CheckConstraint(
                name="signing_key_fingerprint_is_its_key", condition=Q(fingerprint=sha256_hex("public_key"))
            ),
            models.CheckConstraint(
                name="signing_key_revoked_after_valid",
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("valid_from")),
            ),
            models.CheckConstraint(
                name="signing_key_of_an_officer_is_of_a_party", condition=Q(user__isnull=True) | Q(party__isnull=False)
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="revoke_signing_key_once",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=REVOKE_ONCE,
            )
        ]

    def __str__(self) -> str:
        owner = self.party.code if self.party_id else "tracker"
        return f"{owner} {self.fingerprint[:16]}{' (demo)' if self.demo else ''}"


class RecordType(models.TextChoices):
    NOTIFICATION = "notification", _("notification")
    REPORT = "inspection report", _("inspection report")
    COUNTERSIGNATURE = "countersignature", _("countersignature of an inspection report")
    CONCERN_STEP = "concern step", _("step of a concern")


class LedgerEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LedgerEntryQuerySet":
        """An entry is read by whoever may read its record."""
        return readable(
            self,
            user,
            Q(notification__in=Notification.objects.visible_to(user))
            | Q(inspection__in=Inspection.objects.visible_to(user))
            | Q(concern_step__in=ConcernStep.objects.visible_to(user)),
        )


class LedgerEntry(models.Model):
    """One accepted record: its type and reference, the SHA-256 of its canonical form, its author's signature,
    the moment it was accepted and the tree's root before it. Its canonical form is the Merkle tree's leaf."""

    index = models.BigIntegerField(primary_key=True, verbose_name=_("index"))
    record_type = models.CharField(max_length=24, choices=RecordType.choices, verbose_name=_("record type"))
    reference = models.CharField(max_length=200, verbose_name=_("reference"))
    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    notification = models.ForeignKey(
        Notification, null=True, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("notification")
    )
    inspection = models.ForeignKey(
        Inspection, null=True, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("inspection")
    )
    concern_step = models.ForeignKey(
        ConcernStep, null=True, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("concern step")
    )
    record_sha256 = models.CharField(max_length=64, verbose_name=_("record sha256"))
    signature = models.BinaryField(null=True, verbose_name=_("signature"))
    key = models.ForeignKey(
        SigningKey, null=True, on_delete=models.PROTECT, related_name="entries", verbose_name=_("key")
    )
    accepted_at = models.DateTimeField(verbose_name=_("accepted at"))
    previous_root = models.CharField(max_length=64, verbose_name=_("previous root"))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        ordering = ["index"]
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                name="ledger_entry_signed_with_a_key",
                condition=Q(signature__isnull=True, key__isnull=True) | Q(signature__isnull=False, key__isnull=False),
            ),
            models.CheckConstraint(
                name="ledger_entry_names_one_record",
                condition=Q(
                    record_type=RecordType.NOTIFICATION,
                    notification__isnull=False,
                    inspection__isnull=True,
                    concern_step__isnull=True,
                )
                | Q(
                    record_type__in=[RecordType.REPORT, RecordType.COUNTERSIGNATURE],
                    notification__isnull=True,
                    inspection__isnull=False,
                    concern_step__isnull=True,
                )
                | Q(
                    record_type=RecordType.CONCERN_STEP,
                    notification__isnull=True,
                    inspection__isnull=True,
                    concern_step__isnull=False,
                ),
            ),
            models.UniqueConstraint(fields=["record_type", "reference"], name="one_ledger_entry_per_record"),
        ]
        triggers = [
            append_only("ledger_entry_append_only"),
            pgtrigger.Trigger(
                name="ledger_entry_comes_next", when=pgtrigger.Before, operation=pgtrigger.Insert, func=NEXT_ENTRY
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.record_type} {self.reference}"


class LedgerNode(models.Model):
    """A complete subtree of the Merkle tree: level 0 the leaves, level l the 2^l leaves from index·2^l."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.SmallIntegerField(verbose_name=_("level"))
    index = models.BigIntegerField(verbose_name=_("index"))
    digest = models.BinaryField(verbose_name=_("digest"))

    class Meta:
        verbose_name = _("ledger node")
        verbose_name_plural = _("ledger nodes")
        triggers = [append_only("ledger_node_append_only")]

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class TreeHead(models.Model):
    """The tree's size and root at a moment, signed by the tracker's key: published daily and on demand."""

    size = models.BigIntegerField(verbose_name=_("size"))
    root = models.CharField(max_length=64, verbose_name=_("root"))
    signed_at = models.DateTimeField(verbose_name=_("signed at"))
    signature = models.BinaryField(verbose_name=_("signature"))
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="tree_heads", verbose_name=_("key"))

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("tree head")
        verbose_name_plural = _("tree heads")
        ordering = ["size", "signed_at"]
        indexes = [models.Index(fields=["size"], name="tree_head_size")]
        triggers = [append_only("tree_head_append_only")]

    def __str__(self) -> str:
        return f"tree head {self.size} {self.root[:16]}"


class Receipt(models.Model):
    """A party's acknowledgement of every record in a tree head: its signature over the head. A receipt is not
    acceptance (CFE Art. XIII.3): it says the records reached the party, not that it agrees with them."""

    tree_head = models.ForeignKey(
        TreeHead, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("tree head")
    )
    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("party"))
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("key"))
    signature = models.BinaryField(verbose_name=_("signature"))
    received_at = models.DateTimeField(verbose_name=_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["tree_head", "party"], name="one_receipt_per_head_and_party")]
        triggers = [append_only("receipt_append_only")]

    def __str__(self) -> str:
        return f"{self.party.code} received {self.tree_head}"
