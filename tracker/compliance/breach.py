"""The finding every kind of check returns, its grade, and its one form as a row.

A finding is graded a *breach* (a limit exceeded, a deadline missed) or an *indicator*: a difference
between what was declared and what inspectors or sensors saw, an ambiguity, storage outside a
designated site. An indicator is first a question to be clarified, not a finding of non-compliance:
each State Party answers for its own information (CFE Art. XIII.3), ambiguities are recorded with the
clarifications given (Protocol on Inspection, Section VI.38), and an inspected party may explain what
was found at a site, such as equipment temporarily located there or where it came from (Section VII.11).
"""

import datetime
import json
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from tracker.models import Concern, Inspection, InspectionRequest
from tracker.models.concerns import FindingState, Grade
from zones.in_force import VALID

CEILING_EXCEEDED = "ceiling_exceeded"
INSPECTION_DISCREPANCY = "inspection_discrepancy"
OBSERVATION_DISCREPANCY = "observation_discrepancy"
LATE_NOTIFICATION = "late_notification"
INSPECTION_AMBIGUITY = "inspection_ambiguity"
# Storage outside a designated permanent storage site, counted as active (CFE Art. X.4).
STORAGE_OUTSIDE_DESIGNATED_SITE = "storage_outside_designated_site"
# Temporary deployments above a ceiling beyond the allowance the treaty grants (CFE Art. V.1(B)-(C)).
TEMPORARY_ALLOWANCE_EXCEEDED = "temporary_allowance_exceeded"
# Equipment of a kind a distance rule names, within its distance of a line of contact.
WITHIN_WITHDRAWAL_DISTANCE = "within_withdrawal_distance"
# A unit's change of the threshold share or more that no change notification declared
# (Protocol on Information Exchange VIII.1(B); Final Document 1996, Annex B §10).
UNNOTIFIED_CHANGE = "unnotified_change"
# An object of verification created or relocated with less notice than the treaty asks (Annex B §11).
SHORT_NOTICE = "short_notice"
# The inspection regime's time limits and duties (Protocol on Inspection):
# notice of less than 36 hours before the estimated arrival (Section IV.2);
SHORT_INSPECTION_NOTICE = "short_inspection_notice"
# a notification of intent acknowledged after 3 hours (Section IV.4);
LATE_ACKNOWLEDGEMENT = "late_acknowledgement"
# the first site or area designated earlier than 1 or later than 16 hours after arrival (Sections VII.7, VIII.2(B));
DESIGNATION_OUT_OF_TIME = "designation_out_of_time"
# a challenge inspection granted or refused more than 2 hours after its designation (Section VIII.5);
LATE_CHALLENGE_ANSWER = "late_challenge_answer"
# more than 48 hours at a declared site or 24 in a specified area (Section II.18);
INSPECTION_OVERSTAY = "inspection_overstay"
# an in-country period longer than 48 hours plus 36 for each sequential inspection, at most 10 days (Section II.17);
IN_COUNTRY_OVERSTAY = "in_country_overstay"
# a declared-site inspection, owed within the quota, refused (Sections VII.1, II.10);
INSPECTION_REFUSED = "inspection_refused"
# a signed report the escort did not countersign within the hour (Section XII.1(B)).
LATE_COUNTERSIGNATURE = "late_countersignature"
# A record of the ledger sent to a party and not acknowledged by its receipt in the treaty's receipt_hours
# (a procedural breach: the treaty sets no such time, CFE Art. XIII.3 and XVII; the parties agree it).
RECEIPT_MISSING = "receipt_missing"
INSPECTION_TIME_LIMITS = [
    SHORT_INSPECTION_NOTICE,
    LATE_ACKNOWLEDGEMENT,
    DESIGNATION_OUT_OF_TIME,
    LATE_CHALLENGE_ANSWER,
    INSPECTION_OVERSTAY,
    IN_COUNTRY_OVERSTAY,
    INSPECTION_REFUSED,
    LATE_COUNTERSIGNATURE,
]
KINDS = [
    CEILING_EXCEEDED,
    TEMPORARY_ALLOWANCE_EXCEEDED,
    WITHIN_WITHDRAWAL_DISTANCE,
    STORAGE_OUTSIDE_DESIGNATED_SITE,
    INSPECTION_DISCREPANCY,
    OBSERVATION_DISCREPANCY,
    LATE_NOTIFICATION,
    UNNOTIFIED_CHANGE,
    SHORT_NOTICE,
    *INSPECTION_TIME_LIMITS,
    RECEIPT_MISSING,
    INSPECTION_AMBIGUITY,
]

INDICATORS = {
    INSPECTION_DISCREPANCY,
    OBSERVATION_DISCREPANCY,
    STORAGE_OUTSIDE_DESIGNATED_SITE,
    INSPECTION_AMBIGUITY,
}
GRADES: dict[str, str] = {kind: (Grade.INDICATOR if kind in INDICATORS else Grade.BREACH).value for kind in KINDS}

# What a person reads for each kind, grade and register state; the codes above stay what files and the API carry.
KIND_LABELS = {
    CEILING_EXCEEDED: _("ceiling exceeded"),
    TEMPORARY_ALLOWANCE_EXCEEDED: _("temporary deployment above its allowance"),
    WITHIN_WITHDRAWAL_DISTANCE: _("within withdrawal distance"),
    STORAGE_OUTSIDE_DESIGNATED_SITE: _("storage outside a designated site"),
    INSPECTION_DISCREPANCY: _("inspection discrepancy"),
    OBSERVATION_DISCREPANCY: _("observation discrepancy"),
    LATE_NOTIFICATION: _("late notification"),
    UNNOTIFIED_CHANGE: _("change never notified"),
    SHORT_NOTICE: _("object of verification on short notice"),
    SHORT_INSPECTION_NOTICE: _("inspection notified on short notice"),
    LATE_ACKNOWLEDGEMENT: _("late acknowledgement of an inspection"),
    DESIGNATION_OUT_OF_TIME: _("inspection site designated out of time"),
    LATE_CHALLENGE_ANSWER: _("late answer to a challenge inspection"),
    INSPECTION_OVERSTAY: _("inspection longer than allowed"),
    IN_COUNTRY_OVERSTAY: _("in-country period longer than allowed"),
    INSPECTION_REFUSED: _("inspection refused"),
    LATE_COUNTERSIGNATURE: _("late countersignature of an inspection report"),
    RECEIPT_MISSING: _("receipt missing"),
    INSPECTION_AMBIGUITY: _("ambiguity found in an inspection"),
}
GRADE_LABELS = {Grade.BREACH.value: _("breach"), Grade.INDICATOR.value: _("indicator")}
STATE_LABELS = {
    FindingState.OPEN.value: _("open"),
    FindingState.EXPLAINED.value: _("explained"),
    FindingState.RESOLVED.value: _("resolved"),
    FindingState.DISPUTED.value: _("disputed"),
}


# A breach's fields in the order every table, file and listing shows them; the geometry goes its own way.
COLUMNS = ["kind", "grade", "as_of", "zone", "party", "category", "limit", "counted", "excess", "treaty", "evidence"]
IDENTIFYING_EVIDENCE = ("ceiling", "rule", "inspection", "request", "notification", "object", "year", "site", "entry")


@dataclass(frozen=True)
class Breach:
    kind: str
    as_of: datetime.date
    zone: str | None
    party: str | None
    category: str | None
    limit: int | None
    counted: int | None
    excess: int | None
    treaty: str | None
    evidence: dict
    geometry: GEOSGeometry | None = None

    def as_row(self, evidence_as_text: bool = False) -> dict:
        """The breach as one row of COLUMNS, JSON-ready, geometry left out; for a flat file
        (``evidence_as_text``) the evidence as JSON text with its keys sorted."""
        evidence = json.dumps(self.evidence, sort_keys=True, default=str) if evidence_as_text else self.evidence
        return {
            "kind": self.kind,
            "grade": self.grade,
            "as_of": self.as_of.isoformat(),
            "zone": self.zone,
            "party": self.party,
            "category": self.category,
            "limit": self.limit,
            "counted": self.counted,
            "excess": self.excess,
            "treaty": self.treaty,
            "evidence": evidence,
        }

    @property
    def grade(self) -> str:
        """``breach`` or ``indicator`` (``GRADES``)."""
        return GRADES[self.kind]

    @property
    def identity(self) -> str:
        """What stays the same while the breach lasts from one date to the next (counts may change)."""
        which = [f"{name}={self.evidence[name]}" for name in IDENTIFYING_EVIDENCE if name in self.evidence]
        return "|".join([self.kind, self.zone or "", self.party or "", self.category or "", *which])

    def sort_key(self) -> tuple:
        return (
            KINDS.index(self.kind),
            self.zone or "",
            self.party or "",
            self.category or "",
            self.treaty or "",
            repr(sorted(self.evidence.items())),
        )


def innermost_zone_sql(place: str, day: str = "%(day)s", holds: str = "ST_Intersects") -> str:
    """The code of the innermost zone in force on ``day`` whose area ``holds`` ``place`` (SQL expressions),
    the smallest first: where a finding is."""
    return f"""(
        SELECT z.code FROM zones_zoneversion v JOIN zones_zone z ON z.id = v.zone_id
        WHERE {VALID.sql("v", day)} AND {holds}(v.geom, {place})
        ORDER BY ST_Area(v.geom), z.code LIMIT 1
    )"""


# The records a finding's evidence may name by their reference, which only some readers see.
NAMED_RECORDS = {"inspection": Inspection, "request": InspectionRequest, "concern": Concern}


def readable_by(breaches: list[Breach], user) -> list[Breach]:
    """The breaches ``user`` may read: none whose evidence names an inspection report, a request or a concern
    hidden from them.

    An inspection discrepancy names its report and where it took place; an inspector who reads
    only their own party's reports must not learn of another's from a finding, nor a third party of
    a request or a concern between two others.
    """
    hidden = set()
    for key, model in NAMED_RECORDS.items():
        named = {breach.evidence[key] for breach in breaches if key in breach.evidence}
        if named:
            readable = set(
                model.objects.visible_to(user).filter(reference__in=named).values_list("reference", flat=True)
            )
            hidden |= {(key, reference) for reference in named - readable}
    if not hidden:
        return breaches
    return [
        breach for breach in breaches if not any((key, breach.evidence.get(key)) in hidden for key in NAMED_RECORDS)
    ]
