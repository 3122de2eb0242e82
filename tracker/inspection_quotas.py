"""The planning desk's arithmetic: each party's passive declared-site inspection quota for a year, what
has been used of it and by whom, and what a plan would add.

- **The quota** is a share of the objects of verification a party declared (Protocol on Inspection,
  Section II.10(D): "15 percent of a State Party's objects of verification notified pursuant to Section V
  of the Protocol on Information Exchange"; the treaty's ``passive_quota_percent``). The Protocol gives
  no rounding rule and the 1996 Review Conference left it open (Final Document, Annex C item 14), so
  the treaty's ``quota_rounding`` says: down, to the nearest whole number (halves up) or up, in Decimal.
- **The annual exchange counted** for a year is the party's latest submitted annual exchange (or the
  submitted correction of one) effective on or before 1 January of that year; without one, its first
  effective within the year. Its objects are the distinct objects of verification its lines name.
- **The quota in force** is the larger of the computed one and the one the party announced with its
  annual exchange (Final Document 1996, Annex B §13: it "should notify" it): an announcement may accept
  more than the treaty's share, never fewer, and one below the computed quota is flagged.
- **Shares**, each rounded as the quota is: the passive challenge quota is ``challenge_share_percent``
  (23 %) of the quota (Section II.11(B)); no party need accept from one inspecting party more than
  ``inspecting_party_share_percent`` (50 %) of its quota in a calendar year (Section II.23); a party
  makes at most ``same_group_annual_limit`` (5) inspections a year of a party of its own group
  (Section II.24).
- **Used** in a calendar year (the year of arrival at the point of entry, else of the estimated
  arrival): each object of verification inspected counts one (Section II.13), so a request counts its
  reports, at least one. A refused challenge inspection counts nothing (Section VIII.9(B)); any other
  challenge counts one against the challenge quota and one against the declared-site quota (Section II.16).
- **Planned**: a plan counts one inspection (and one challenge, when it is one) in the year its window
  opens.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.models import (
    Answer,
    GroupMembership,
    Holding,
    Inspection,
    InspectionKind,
    InspectionRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    PassiveQuota,
    PlannedInspection,
    Rounding,
    StateParty,
    Treaty,
)
from tracker.models.parties import party_of, reads_everything
from zones.in_force import VALID

ROUNDING = {Rounding.DOWN: ROUND_FLOOR, Rounding.NEAREST: ROUND_HALF_UP, Rounding.UP: ROUND_CEILING}


def share(whole: int, percent: Decimal, rounding: str) -> int:
    """``percent`` % of ``whole`` as a whole number of inspections, rounded as ``rounding`` says."""
    exact = Decimal(whole) * Decimal(percent) / 100
    return int(exact.to_integral_value(rounding=ROUNDING[rounding]))


def percent(value: Decimal) -> str:
    """A treaty's share as the text says it: 50, 12.5."""
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


@dataclass(frozen=True)
class Quota:
    """A party's passive declared-site inspection quota for a year, computed and as announced."""

    treaty: Treaty
    party: StateParty
    year: int
    objects: int
    computed: int
    announced: PassiveQuota | None
    notification: Notification | None

    @property
    def in_force(self) -> int:
        return max(self.computed, self.announced.announced if self.announced else 0)

    @property
    def announced_below_computed(self) -> bool:
        return self.announced is not None and self.announced.announced < self.computed

    @property
    def challenge(self) -> int:
        """The passive challenge inspection quota (Section II.11(B))."""
        return share(self.in_force, self.treaty.challenge_share_percent, self.treaty.quota_rounding)

    @property
    def per_inspecting_party(self) -> int:
        """The most inspections the party need accept from one inspecting party in the year (Section II.23)."""
        return share(self.in_force, self.treaty.inspecting_party_share_percent, self.treaty.quota_rounding)


def annual_exchanges(year: int, parties: list[StateParty] | None = None) -> dict[int, Notification]:
    """Per party id, the annual exchange that sets its quota for ``year``, with ``objects``: how many
    distinct objects of verification its lines name. Two queries, however many parties."""
    first_day = datetime.date(year, 1, 1)
    exchanges = Notification.objects.filter(status=NotificationStatus.SUBMITTED).filter(
        Q(kind=NotificationKind.ANNUAL) | Q(kind=NotificationKind.CORRECTION, supersedes__kind=NotificationKind.ANNUAL)
    )
    if parties is not None:
        exchanges = exchanges.filter(party__in=parties)
    lines = Holding.objects.filter(notification=OuterRef("pk")).order_by().values("notification")
    objects = lines.annotate(count=Count("object_of_verification", distinct=True)).values("count")
    exchanges = exchanges.annotate(objects=Coalesce(Subquery(objects), 0))
    latest_before = exchanges.filter(effective_date__lte=first_day).order_by(
        "party_id", "-effective_date", "-submitted_at"
    )
    first_within = exchanges.filter(effective_date__gt=first_day, effective_date__year=year).order_by(
        "party_id", "effective_date", "submitted_at"
    )
    found = {exchange.party_id: exchange for exchange in first_within.distinct("party_id")}
    found.update({exchange.party_id: exchange for exchange in latest_before.distinct("party_id")})
    return found


def quotas(treaty: Treaty, year: int, parties: list[StateParty] | None = None) -> dict[int, Quota]:
    """Per party id, the quota of every party (of ``parties``) that declared objects or announced a quota."""
    exchanges = annual_exchanges(year, parties)
    announced = PassiveQuota.objects.filter(treaty=treaty, year=year)
    if parties is not None:
        announced = announced.filter(party__in=parties)
    announced = {quota.party_id: quota for quota in announced}
    known = {party.pk: party for party in parties} if parties is not None else {}
    missing = (exchanges.keys() | announced.keys()) - known.keys()
    known |= StateParty.objects.in_bulk(missing) if missing else {}
    found = {}
    for party_id in exchanges.keys() | announced.keys():
        exchange = exchanges.get(party_id)
        objects = exchange.objects if exchange else 0
        found[party_id] = Quota(
            treaty=treaty,
            party=known[party_id],
            year=year,
            objects=objects,
            computed=share(objects, treaty.passive_quota_percent, treaty.quota_rounding),
            announced=announced.get(party_id),
            notification=exchange,
        )
    return found


def passive_quota(treaty: Treaty, party: StateParty, year: int) -> Quota:
    """``party``'s passive declared-site inspection quota for ``year`` (see the module's docstring)."""
    return quotas(treaty, year, [party]).get(party.pk) or Quota(treaty, party, year, 0, 0, None, None)


@dataclass
class Tally:
    """Inspections counted against the declared-site quota, and the challenges among them."""

    declared: int = 0
    challenge: int = 0


Pair = tuple[int, int]  # (inspected party id, inspecting or planning party id)


def counted_requests(treaty: Treaty, year: int) -> QuerySet:
    """The requests of ``year`` that count against quotas, each with its ``arrival`` and ``counted``: the
    inspections it counts (module docstring)."""
    reports = Inspection.objects.filter(request=OuterRef("pk")).order_by().values("request")
    reports = reports.annotate(count=Count("pk")).values("count")
    return (
        InspectionRequest.objects.filter(treaty=treaty)
        .exclude(answer=Answer.REFUSED)
        .annotate(arrival=Coalesce("arrived_at", "estimated_arrival"))
        .annotate(year=ExtractYear("arrival"))
        .filter(year=year)
        .annotate(counted=Greatest(Coalesce(Subquery(reports), 0), 1))
    )


def used(treaty: Treaty, year: int, inspected: StateParty | None = None) -> dict[Pair, Tally]:
    """What the requests of ``year`` count, per inspected and inspecting party, in one query."""
    requests = counted_requests(treaty, year)
    if inspected is not None:
        requests = requests.filter(inspected_party=inspected)
    rows = (
        requests.values("inspected_party_id", "inspecting_party_id", "kind")
        .annotate(inspections=Sum("counted"), requests=Count("pk"))
        .order_by()
    )
    tallies: dict[Pair, Tally] = defaultdict(Tally)
    for row in rows:
        tally = tallies[row["inspected_party_id"], row["inspecting_party_id"]]
        tally.declared += row["inspections"]
        if row["kind"] == InspectionKind.CHALLENGE:
            tally.challenge += row["requests"]
    return tallies


def owed(request: InspectionRequest) -> bool:
    """Whether the inspected party was still obliged to receive ``request``: what it received before it in
    the calendar year, counted as ``used`` counts, is below its quota in force (Section II.10), and below
    one at least (Section II.12: "a minimum of one inspection each year")."""
    arrival = request.arrived_at or request.estimated_arrival
    year = timezone.localtime(arrival).year
    earlier = Q(arrival__lt=arrival) | Q(arrival=arrival, reference__lt=request.reference)
    requests = counted_requests(request.treaty, year).filter(earlier, inspected_party=request.inspected_party_id)
    before = requests.aggregate(inspections=Sum("counted"))["inspections"] or 0
    return before < max(passive_quota(request.treaty, request.inspected_party, year).in_force, 1)


def planned(plans: QuerySet, treaty: Treaty, year: int) -> dict[Pair, Tally]:
    """What ``plans`` opening in ``year`` would count, per inspected and planning party, in one query."""
    rows = (
        plans.filter(treaty=treaty, window_from__year=year)
        .values("inspected_party_id", "planning_party_id", "kind")
        .annotate(plans=Count("pk"))
        .order_by()
    )
    tallies: dict[Pair, Tally] = defaultdict(Tally)
    for row in rows:
        tally = tallies[row["inspected_party_id"], row["planning_party_id"]]
        tally.declared += row["plans"]
        if row["kind"] == InspectionKind.CHALLENGE:
            tally.challenge += row["plans"]
    return tallies


def grouped_together(day: datetime.date) -> set[Pair]:
    """Every (party, party) pair in a group together on ``day`` (Section II.24), in one query."""
    members = defaultdict(set)
    for group, party in GroupMembership.objects.filter(VALID.q(day)).values_list("partygroup_id", "stateparty_id"):
        members[group].add(party)
    return {(a, b) for parties in members.values() for a in parties for b in parties if a != b}


@dataclass(frozen=True)
class InspectingParty:
    """What one party has used and planned of another's quota, beside the most it may use."""

    party: StateParty
    used: int
    planned: int
    share: int
    same_group_limit: int | None

    @property
    def limit(self) -> int:
        """The 50 % share (Section II.23), or the same-group limit when lower (Section II.24)."""
        return self.share if self.same_group_limit is None else min(self.share, self.same_group_limit)

    @property
    def remaining(self) -> int:
        return self.limit - self.used


@dataclass(frozen=True)
class LedgerRow:
    """One inspected party's quota for the year, what is used and planned of it, and by whom."""

    quota: Quota
    used: int
    planned: int
    challenge_used: int
    challenge_planned: int
    inspecting: tuple[InspectingParty, ...]

    @property
    def remaining(self) -> int:
        """Negative when more has been received than the party was obliged to accept (Section II.10)."""
        return self.quota.in_force - self.used

    @property
    def challenge_remaining(self) -> int:
        return self.quota.challenge - self.challenge_used


def ledger_day(year: int) -> datetime.date:
    """The day whose groups the ledger of ``year`` shows: today, within the year."""
    return min(max(timezone.localdate(), datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def ledger(treaty: Treaty, year: int, plans: QuerySet | None = None) -> list[LedgerRow]:
    """Every party with a quota, use or plans in ``year``, by party code; ``plans`` the plans to count
    (a user's visible ones; every plan by default). A fixed handful of queries, however many parties."""
    plans = PlannedInspection.objects.all() if plans is None else plans
    found = quotas(treaty, year)
    usage, intended = used(treaty, year), planned(plans, treaty, year)
    parties = {party_id for pair in usage.keys() | intended.keys() for party_id in pair}
    missing = parties - {quota.party.pk for quota in found.values()}
    known = {quota.party.pk: quota.party for quota in found.values()}
    known |= StateParty.objects.in_bulk(missing) if missing else {}
    for inspected, _inspecting in usage.keys() | intended.keys():
        found.setdefault(inspected, Quota(treaty, known[inspected], year, 0, 0, None, None))
    together = grouped_together(ledger_day(year))
    rows = []
    for inspected, quota in found.items():
        pairs = sorted(
            {pair for pair in usage.keys() | intended.keys() if pair[0] == inspected}, key=lambda p: known[p[1]].code
        )
        inspecting = tuple(
            InspectingParty(
                party=known[pair[1]],
                used=usage[pair].declared if pair in usage else 0,
                planned=intended[pair].declared if pair in intended else 0,
                share=quota.per_inspecting_party,
                same_group_limit=treaty.same_group_annual_limit if pair in together else None,
            )
            for pair in pairs
        )
        rows.append(
            LedgerRow(
                quota=quota,
                used=sum(usage[pair].declared for pair in pairs if pair in usage),
                planned=sum(intended[pair].declared for pair in pairs if pair in intended),
                challenge_used=sum(usage[pair].challenge for pair in pairs if pair in usage),
                challenge_planned=sum(intended[pair].challenge for pair in pairs if pair in intended),
                inspecting=inspecting,
            )
        )
    return sorted(rows, key=lambda row: row.quota.party.code)


def as_seen_by(rows: list[LedgerRow], user) -> list[LedgerRow]:
    """Every party's quota and totals (announced to all, and every inspecting party must know what
    remains), but who inspects whom only where the user's party is the inspected or the inspecting one."""
    if reads_everything(user):
        return rows
    party = party_of(user)
    return [
        row
        if party is not None and row.quota.party.pk == party.pk
        else replace(row, inspecting=tuple(line for line in row.inspecting if party and line.party.pk == party.pk))
        for row in rows
    ]


def plan_warnings(plan: PlannedInspection) -> list[str]:
    """What the plan would take beyond what its planning party may use, counting what is used and the
    planning party's other plans of the year: flagged before the notification of intent, never refused."""
    treaty, year = plan.treaty, plan.window_from.year
    inspected, planning = plan.inspected_party, plan.planning_party
    quota = passive_quota(treaty, inspected, year)
    usage = used(treaty, year, inspected)
    others = PlannedInspection.objects.filter(planning_party=planning, inspected_party=inspected).exclude(pk=plan.pk)
    own = planned(others, treaty, year).get((inspected.pk, planning.pk), Tally())
    by_planner = usage.get((inspected.pk, planning.pk), Tally())
    challenge = plan.kind == InspectionKind.CHALLENGE
    warnings = []
    total = sum(tally.declared for tally in usage.values()) + own.declared + 1
    if total > quota.in_force:
        warnings.append(
            ngettext(
                "%(party)s would receive %(count)d inspection in %(year)d, beyond its passive declared-site "
                "inspection quota of %(quota)d (Protocol on Inspection, Section II.10)",
                "%(party)s would receive %(count)d inspections in %(year)d, beyond its passive declared-site "
                "inspection quota of %(quota)d (Protocol on Inspection, Section II.10)",
                total,
            )
            % {"party": inspected.code, "count": total, "year": year, "quota": quota.in_force}
        )
    if challenge:
        challenges = sum(tally.challenge for tally in usage.values()) + own.challenge + 1
        if challenges > quota.challenge:
            warnings.append(
                ngettext(
                    "%(party)s would receive %(count)d challenge inspection in %(year)d, beyond its passive "
                    "challenge inspection quota of %(quota)d (Protocol on Inspection, Section II.11(B))",
                    "%(party)s would receive %(count)d challenge inspections in %(year)d, beyond its passive "
                    "challenge inspection quota of %(quota)d (Protocol on Inspection, Section II.11(B))",
                    challenges,
                )
                % {"party": inspected.code, "count": challenges, "year": year, "quota": quota.challenge}
            )
    from_planner = by_planner.declared + own.declared + 1
    if from_planner > quota.per_inspecting_party:
        warnings.append(
            _(
                "this would be inspection %(number)d of %(inspected)s by %(planning)s in %(year)d, beyond the "
                "%(percent)s %% of its quota (%(share)d) it need accept from one party in a calendar year "
                "(Protocol on Inspection, Section II.23)"
            )
            % {
                "number": from_planner,
                "inspected": inspected.code,
                "planning": planning.code,
                "year": year,
                "percent": percent(treaty.inspecting_party_share_percent),
                "share": quota.per_inspecting_party,
            }
        )
    if (planning.pk, inspected.pk) in grouped_together(plan.window_from) and (
        from_planner > treaty.same_group_annual_limit
    ):
        warnings.append(
            _(
                "%(planning)s and %(inspected)s are of one group: this would be inspection %(number)d of "
                "%(inspected)s by %(planning)s in %(year)d, beyond the %(limit)d a year allowed within a group "
                "(Protocol on Inspection, Section II.24)"
            )
            % {
                "number": from_planner,
                "inspected": inspected.code,
                "planning": planning.code,
                "year": year,
                "limit": treaty.same_group_annual_limit,
            }
        )
    return warnings
