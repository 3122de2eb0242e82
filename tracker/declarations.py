"""The rules a notification and its lines meet, whichever way they are written.

The API, the admin, ``services`` (submit, correct) and the bundle importer all ask these
functions, so each rule and its wording live here once. A line declares the holdings of an object
of verification (Protocol on Inspection, Section I.1(J)) at a declared site, which may hold several
(Section I.1(N)), of a category or of one of its existing types (CFE Art. II.2), in active units, in
storage or in temporary deployment (Art. V.1(B)). Each checks any number of notifications
or lines in a fixed number of queries: a bundle's thousands of notifications cost what one
request's does. Finding the site or the notification a writer names by its code is the writer's
own business (the API looks only among what the user may see, the bundle within the party).
Quantities are bounded by the models' fields (``MAX_QUANTITY``) and dates by ``tracker.dates``.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from tracker.dates import implausibility
from tracker.models import (
    EquipmentCategory,
    EquipmentType,
    Holding,
    Notification,
    NotificationKind,
    NotificationStatus,
    ObjectOfVerification,
    Site,
    StateParty,
)

NAMES_WHAT_IT_SUPERSEDES = gettext_lazy("a correction, and only a correction, names the notification it supersedes")
EFFECTIVE_DATE_BEFORE = gettext_lazy(
    "the effective date %(day)s is before %(earliest)s, when the CFE Treaty was signed"
)
EFFECTIVE_DATE_AHEAD = ngettext_lazy(
    "the effective date %(day)s is more than %(years)d year ahead (after %(latest)s)",
    "the effective date %(day)s is more than %(years)d years ahead (after %(latest)s)",
    "years",
)


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
    """A line as its writer names it: a site, an object of verification or both; a category, an equipment
    type or both. A line naming only a site declares for the site's own object of verification."""

    site: Site | None
    category: EquipmentCategory | None
    status: str
    object_of_verification: ObjectOfVerification | None = None
    equipment_type: EquipmentType | None = None

    @classmethod
    def of(cls, holding: Holding) -> "Line":
        """A stored line as it was written. Its site is where its object was then, which a relocation since
        does not make wrong, so a line of any object but its site's own names the object alone."""
        held = holding.object_of_verification
        own = held.site_id == holding.site_id and held.record_number == holding.site.code
        return cls(
            holding.site if own else None,
            holding.category,
            holding.status,
            None if own else held,
            holding.equipment_type,
        )

    @property
    def holder_field(self) -> str:
        return "object" if self.object_of_verification else "site"

    @property
    def holder(self) -> tuple[int, str] | None:
        """The object of verification it declares for, as (party, record number): no query needed."""
        if self.object_of_verification:
            return self.object_of_verification.party_id, self.object_of_verification.record_number
        return (self.site.party_id, self.site.code) if self.site else None

    @property
    def where(self) -> Site | None:
        """The site: the object of verification's, when the line names one."""
        return self.object_of_verification.site if self.object_of_verification else self.site

    @property
    def of_category(self) -> EquipmentCategory | None:
        """The category: the equipment type's, when the line names one."""
        return self.equipment_type.category if self.equipment_type else self.category

    @property
    def what(self) -> str | None:
        """The type's name, or the category's code."""
        if self.equipment_type:
            return self.equipment_type.name
        return self.category.code if self.category else None

    @property
    def key(self) -> tuple | None:
        """What a notification declares once: an object of verification's holdings of a category, type and status."""
        if self.holder is None or self.what is None:
            return None
        kind = self.equipment_type
        return self.holder, kind.category_id if kind else self.category.pk, kind and kind.pk, self.status


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
            errors.append(
                _("a %(party)s notification's reference begins with %(party)s-") % {"party": header.party.code}
            )
        elif holders[header.reference] - {header.pk}:
            errors.append(_("%(reference)s is already a notification's reference") % {"reference": header.reference})
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
                found["supersedes"] = _("%(reference)s is another party's notification") % {
                    "reference": original.reference
                }
            elif original.status != NotificationStatus.SUBMITTED:
                found["supersedes"] = _(
                    "%(reference)s is %(status)s: only a submitted notification can be corrected"
                ) % {"reference": original.reference, "status": original.status}
            elif (original.pk and corrected_by[original.pk] - {header.pk}) or claimed[original.reference] > 1:
                found["supersedes"] = _("%(reference)s already has a correction") % {"reference": original.reference}
        errors.append(found)
    return errors


# Refusals by line index, each naming the field it is about: "site", "object", "category" or "type".
Refusals = dict[int, tuple[str, str]]


def declared_twice(holder, what, status):
    """The refusal of a line repeated in its notification; also of whole columns of codes (the bundle's pandas
    Series), one refusal per row."""
    message = _("%(holder)s %(what)s (%(status)s) is declared twice")
    if isinstance(holder, str):
        return message % {"holder": holder, "what": what, "status": status}
    rows = zip(holder, what, status)
    return type(holder)([message % {"holder": h, "what": w, "status": s} for h, w, s in rows], index=holder.index)


def unnamed(lines: list[Line]) -> Refusals:
    """A line names whose holdings it declares, and of what."""
    found = {}
    for index, line in enumerate(lines):
        if line.holder is None:
            found[index] = ("site", _("a line names a site or an object of verification"))
        elif line.what is None:
            found[index] = ("category", _("a line names a category or an equipment type"))
    return found


def elsewhere(lines: list[Line]) -> Refusals:
    """A line naming an object of verification and a site names the site the object is at."""
    return {
        index: (
            "site",
            _("object of verification %(object)s is at site %(site)s, not %(named)s")
            % {"object": held.record_number, "site": held.site.code, "named": line.site.code},
        )
        for index, line in enumerate(lines)
        if (held := line.object_of_verification) and line.site and held.site_id != line.site.pk
    }


def of_another_category(lines: list[Line]) -> Refusals:
    """A line naming an equipment type and a category names the type's category (CFE Art. II.2: each
    existing type is listed under its category in the Protocol on Existing Types)."""
    return {
        index: (
            "type",
            _("%(type)s is of category %(category)s, not %(named)s")
            % {"type": kind.name, "category": kind.category.code, "named": line.category.code},
        )
        for index, line in enumerate(lines)
        if (kind := line.equipment_type) and line.category and kind.category_id != line.category.pk
    }


def repeated_lines(lines: list[Line]) -> Refusals:
    """A notification has one line per object of verification, category, type and status."""
    counted = Counter(line.key for line in lines)
    return {
        index: (line.holder_field, declared_twice(line.holder[1], line.what, line.status))
        for index, line in enumerate(lines)
        if line.key is not None and counted[line.key] > 1
    }


def foreign_holders(party: StateParty, lines: list[Line]) -> Refusals:
    """A line is of a site and an object of verification of the notifying party."""
    found = {}
    for index, line in enumerate(lines):
        held = line.object_of_verification
        if held and held.party_id != party.pk:
            found[index] = (
                "object",
                _("object of verification %(object)s belongs to %(owner)s, not to %(party)s")
                % {"object": held.record_number, "owner": held.party.code, "party": party.code},
            )
        elif line.site and line.site.party_id != party.pk:
            found[index] = (
                "site",
                _("site %(site)s belongs to %(owner)s, not to %(party)s")
                % {"site": line.site.code, "owner": line.site.party.code, "party": party.code},
            )
    return found


def collect(*rules: Refusals) -> dict[int, dict[str, list[str]]]:
    errors = defaultdict(lambda: defaultdict(list))
    for rule in rules:
        for index, (field, message) in rule.items():
            errors[index][field].append(message)
    return {index: dict(errors[index]) for index in sorted(errors)}


WRITTEN_RULES = (unnamed, elsewhere, of_another_category, repeated_lines)


def written_line_errors(lines: list[Line]) -> dict[int, dict[str, list[str]]]:
    """By line index and field, what is wrong with the lines as written, whoever's they are."""
    return collect(*(rule(lines) for rule in WRITTEN_RULES))


def line_errors(party: StateParty, lines: list[Line]) -> dict[int, dict[str, list[str]]]:
    """By line index and field, every line rule's refusal."""
    return collect(foreign_holders(party, lines), *(rule(lines) for rule in WRITTEN_RULES))


def record_number_errors(party: StateParty, record_number: str, pk: int | None = None) -> list[str]:
    """An object of verification's record number is used once among its party's. Asked only once the writer
    is known to act for ``party``, so a refusal tells of nothing but that party's own records."""
    taken = ObjectOfVerification.objects.filter(party=party, record_number=record_number).exclude(pk=pk)
    if not taken.exists():
        return []
    return [
        _("%(party)s already has an object of verification %(object)s") % {"party": party.code, "object": record_number}
    ]


def effective_date_errors(day: datetime.date | None) -> list[str]:
    """A notification is submitted with an effective date in the treaty's plausible range."""
    if not day:
        return [_("the effective date is missing")]
    reason = implausibility(day, EFFECTIVE_DATE_BEFORE, EFFECTIVE_DATE_AHEAD)
    return [reason] if reason else []


def submission_errors(notification: Notification) -> list[str]:
    """Every reason a stored draft cannot be submitted, so the officer sees them all at once."""
    errors = effective_date_errors(notification.effective_date)
    holdings = list(
        notification.holdings.select_related(
            "site__party", "category", "object_of_verification__party", "equipment_type__category"
        )
    )
    if not holdings:
        errors.append(_("the notification has no lines"))
    found = line_errors(notification.party, [Line.of(holding) for holding in holdings])
    errors.extend(
        dict.fromkeys(message for fields in found.values() for messages in fields.values() for message in messages)
    )
    errors.extend(correction_errors([Header.of(notification)])[0].values())
    return errors
