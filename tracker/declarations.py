"""The rules a notification and its lines meet, whichever way they are written.

The API, the admin, ``services`` (submit, correct) and the bundle importer all ask these
functions, so each rule and its wording live here once. Each checks any number of notifications
or lines in a fixed number of queries: a bundle's thousands of notifications cost what one
request's does. Finding the site or the notification a writer names by its code is the writer's
own business (the API looks only among what the user may see, the bundle within the party).
Quantities are bounded by the models' fields (``MAX_QUANTITY``) and dates by ``tracker.dates``.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from tracker.dates import implausibility
from tracker.models import EquipmentCategory, Notification, NotificationKind, NotificationStatus, Site, StateParty

NAMES_WHAT_IT_SUPERSEDES = "a correction, and only a correction, names the notification it supersedes"


@dataclass
class Header:
    """A notification's own fields as its writer gives them; ``pk`` once it is stored."""

    party: StateParty
    reference: str
    kind: str
    supersedes: Notification | None = None
    pk: int | None = None

    @classmethod
    def of(cls, notification: Notification) -> "Header":
        return cls(
            notification.party, notification.reference, notification.kind, notification.supersedes, notification.pk
        )


@dataclass
class Line:
    site: Site
    category: EquipmentCategory
    status: str


def notification_errors(headers: list[Header]) -> list[dict[str, list[str]]]:
    """Per header, what is wrong with its reference, kind and the notification it supersedes, by field."""
    errors = []
    for reference, correction in zip(reference_errors(headers), correction_errors(headers)):
        found = {field: [message] for field, message in correction.items()}
        if reference:
            found["reference"] = [reference]
        errors.append(found)
    return errors


def reference_errors(headers: list[Header]) -> list[str | None]:
    """A reference is in its party's own series (``UKR-…``) and used once.

    The series is checked first: a refusal for a reference another party holds would tell an
    officer of that party's drafts.
    """
    in_series = [bool(h.reference) and h.reference.startswith(f"{h.party.code}-") for h in headers]
    candidates = [h.reference for h, ok in zip(headers, in_series) if ok]
    holders = defaultdict(set)
    for reference, pk in Notification.objects.filter(reference__in=candidates).values_list("reference", "pk"):
        holders[reference].add(pk)
    errors = []
    for header, ok in zip(headers, in_series):
        if not header.reference:
            errors.append(None)
        elif not ok:
            errors.append(f"a {header.party.code} notification's reference begins with {header.party.code}-")
        elif holders[header.reference] - {header.pk}:
            errors.append(f"{header.reference} is already a notification's reference")
        else:
            errors.append(None)
    return errors


def correction_errors(headers: list[Header]) -> list[dict[str, str]]:
    """A correction, and only a correction, names what it supersedes: a submitted notification of
    its own party that no other notification corrects, stored or among ``headers``."""
    named = [h.supersedes.pk for h in headers if h.supersedes is not None and h.supersedes.pk]
    corrected_by = defaultdict(set)
    for original, correction in Notification.objects.filter(supersedes__in=named).values_list("supersedes", "pk"):
        corrected_by[original].add(correction)
    claimed = Counter()
    errors = []
    for header in headers:
        found = {}
        original = header.supersedes
        if (original is not None) != (header.kind == NotificationKind.CORRECTION):
            found["kind"] = NAMES_WHAT_IT_SUPERSEDES
        if original is not None:
            claimed[original.reference] += 1
            if original.party_id != header.party.pk:
                found["supersedes"] = f"{original.reference} is another party's notification"
            elif original.status != NotificationStatus.SUBMITTED:
                found["supersedes"] = (
                    f"{original.reference} is {original.status}: only a submitted notification can be corrected"
                )
            elif (original.pk and corrected_by[original.pk] - {header.pk}) or claimed[original.reference] > 1:
                found["supersedes"] = f"{original.reference} already has a correction"
        errors.append(found)
    return errors


def declared_twice(site, category, status):
    """The refusal of a line repeated in its notification; also of whole columns of codes (the bundle's)."""
    return site + " " + category + " (" + status + ") is declared twice"


def repeated_lines(lines: list[Line]) -> dict[int, str]:
    """By line index: a notification has one line per site, category and status."""
    keys = [(line.site.pk, line.category.pk, line.status) for line in lines]
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    return {
        index: declared_twice(line.site.code, line.category.code, line.status)
        for index, (line, key) in enumerate(zip(lines, keys))
        if key in repeated
    }


def foreign_sites(party: StateParty, lines: list[Line]) -> dict[int, str]:
    """By line index: a line is of a site of the notifying party."""
    return {
        index: f"site {line.site.code} belongs to {line.site.party.code}, not to {party.code}"
        for index, line in enumerate(lines)
        if line.site.party_id != party.pk
    }


def line_errors(party: StateParty, lines: list[Line]) -> dict[int, list[str]]:
    """By line index, every line rule's refusal."""
    errors = defaultdict(list)
    for rule in (foreign_sites(party, lines), repeated_lines(lines)):
        for index, message in rule.items():
            errors[index].append(message)
    return dict(sorted(errors.items()))


def effective_date_errors(day: datetime.date | None) -> list[str]:
    """A notification is submitted with an effective date in the treaty's plausible range."""
    if not day:
        return ["the effective date is missing"]
    reason = implausibility(day)
    return [f"the effective date {reason}"] if reason else []


def submission_errors(notification: Notification) -> list[str]:
    """Every reason a stored draft cannot be submitted, so the officer sees them all at once."""
    errors = effective_date_errors(notification.effective_date)
    holdings = list(notification.holdings.select_related("site__party", "category"))
    if not holdings:
        errors.append("the notification has no lines")
    found = line_errors(notification.party, [Line(h.site, h.category, h.status) for h in holdings])
    for message in dict.fromkeys(message for index in sorted(found) for message in found[index]):
        errors.append(message)
    errors.extend(correction_errors([Header.of(notification)])[0].values())
    return errors
