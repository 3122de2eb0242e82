"""Recording an inspection request and its moments, as the admin and the API both do it: who may write
which field (``tracker.roles.request_fields``), what is wrong with a value, by field, and the write
itself, all or nothing.

What the Protocol on Inspection forbids but a party may still do is recorded and becomes a finding
(``tracker.compliance.inspection_timelines``): a short notice, a late acknowledgement, a refused
declared-site inspection. What cannot be true is refused: moments out of order, a team larger than
the treaty allows (Section VI.2, the database checks it too), a refusal without its assurance
(Section VIII.9(A)), a site of another party, a specified area too large (Section I.1(O)).
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tracker.models import Answer, InspectionKind, InspectionRequest, StateParty
from tracker.roles import REQUEST_ESCORT_MOMENTS, REQUEST_IDENTITY, request_fields
from zones.geometry import specified_area_errors

BEFORE_INTENT = gettext_lazy("is before the notification of intent (%(earlier)s)")
BEFORE_ARRIVAL = gettext_lazy("is before the arrival at the point of entry (%(earlier)s)")
BEFORE_DESIGNATION = gettext_lazy("is before the designation (%(earlier)s)")
# Each moment with the one it may not come before (both given), and the refusal naming the earlier one.
ORDER = [
    ("estimated_arrival", "notified_at", BEFORE_INTENT),
    ("acknowledged_at", "notified_at", BEFORE_INTENT),
    ("arrived_at", "notified_at", BEFORE_INTENT),
    ("designated_at", "arrived_at", BEFORE_ARRIVAL),
    ("answered_at", "designated_at", BEFORE_DESIGNATION),
    ("departed_at", "arrived_at", BEFORE_ARRIVAL),
    ("departed_at", "designated_at", BEFORE_DESIGNATION),
]
# A moment that needs the one before it recorded.
NEEDS = [
    (
        "designated_at",
        "arrived_at",
        gettext_lazy("the arrival at the point of entry comes first: record it with designated"),
    ),
    ("departed_at", "arrived_at", gettext_lazy("the arrival comes first: record it with departed")),
]
# What a declared-site inspection (an object of verification) and a challenge (a specified area) designate.
DESIGNATES = {
    "object_of_verification": gettext_lazy("a %(kind)s designates an object of verification"),
    "area": gettext_lazy("a %(kind)s designates a specified area"),
}
SAY_WHEN = {
    "object_of_verification": gettext_lazy("when an object of verification is designated, say when"),
    "area": gettext_lazy("when a specified area is designated, say when"),
}
DESIGNATED_AT = {
    "object_of_verification": gettext_lazy("the object of verification designated at %(designated_at)s"),
    "area": gettext_lazy("the specified area designated at %(designated_at)s"),
}


def refusal_reason(field: str, request: InspectionRequest) -> str:
    if field in REQUEST_IDENTITY:
        return _("fixed once the request is recorded")
    if field in REQUEST_ESCORT_MOMENTS:
        if request.pk is None:
            return _("recorded by the escort once the request is recorded")
        inspected = party(request, "inspected_party")
        if inspected is None:
            return _("recorded by the escort: an inspector of the inspected party")
        return _("recorded by the escort: an inspector of %(party)s") % {"party": inspected.code}
    inspecting = party(request, "inspecting_party")
    if inspecting is None:
        return _("recorded by the inspecting party: an inspector of that party")
    return _("recorded by the inspecting party: an inspector of %(party)s") % {"party": inspecting.code}


def reference_errors(request: InspectionRequest) -> list[str]:
    """A reference is in the inspecting party's own series (``UKR-…``) and used once; the series is checked
    first, so a refusal never tells of another party's request."""
    series = request.inspecting_party.code
    if not request.reference.startswith(f"{series}-"):
        return [_("a %(party)s request's reference begins with %(party)s-") % {"party": series}]
    if InspectionRequest.objects.filter(reference=request.reference).exclude(pk=request.pk).exists():
        return [_("%(reference)s is already a request's reference") % {"reference": request.reference}]
    return []


def designation_errors(request: InspectionRequest) -> dict[str, list[str]]:
    """A declared-site inspection designates an object of verification of the inspected party; a challenge
    a specified area within the Protocol's size (Sections VII.7, VIII.2(B), I.1(O))."""
    errors = defaultdict(list)
    place, other = (
        ("object_of_verification", "area")
        if request.kind == InspectionKind.DECLARED_SITE
        else ("area", "object_of_verification")
    )
    if getattr(request, other) is not None:
        errors[other].append(DESIGNATES[place] % {"kind": request.get_kind_display()})
    given = getattr(request, place) is not None
    if given and request.designated_at is None:
        errors["designated_at"].append(str(SAY_WHEN[place]))
    if request.designated_at is not None and not given:
        errors[place].append(DESIGNATED_AT[place] % {"designated_at": request.designated_at.isoformat()})
    obj = request.object_of_verification
    if place == "object_of_verification" and obj is not None and obj.party_id != request.inspected_party_id:
        errors[place].append(
            _("%(object)s is not an object of verification of %(party)s")
            % {"object": obj.record_number, "party": request.inspected_party.code}
        )
    if place == "area" and request.area is not None:
        errors["area"] += specified_area_errors(request.area)
    return errors


def request_errors(request: InspectionRequest) -> dict[str, list[str]]:
    """What is wrong with ``request`` as it stands, by field; empty when it may be stored."""
    try:
        request.clean_fields(exclude=["reference"] if not request.reference else None)
    except ValidationError as error:
        errors = defaultdict(list, error.message_dict)
    else:
        errors = defaultdict(list)
    if not (request.inspecting_party_id and request.inspected_party_id and request.treaty_id and request.kind):
        return dict(errors)
    if request.inspecting_party_id == request.inspected_party_id:
        errors["inspected_party"].append(_("a party does not inspect itself"))
    if request.reference and not errors["reference"]:
        errors["reference"] += reference_errors(request)
    most = request.treaty.max_team_size
    if len(request.team) > most:
        errors["team"].append(
            ngettext(
                "a team of %(count)d inspector; the treaty allows %(most)d (Protocol on Inspection, Section VI.2)",
                "a team of %(count)d inspectors; the treaty allows %(most)d (Protocol on Inspection, Section VI.2)",
                len(request.team),
            )
            % {"count": len(request.team), "most": most}
        )
    if any(not name.strip() for name in request.team):
        errors["team"].append(_("an inspector's name is empty"))
    for later, earlier, refusal in ORDER:
        first, then = getattr(request, earlier), getattr(request, later)
        if first is not None and then is not None and then < first and not errors[later]:
            errors[later].append(refusal % {"earlier": first.isoformat()})
    for later, earlier, refusal in NEEDS:
        if getattr(request, later) is not None and getattr(request, earlier) is None:
            errors[earlier].append(str(refusal))
    for field, values in designation_errors(request).items():
        errors[field] += values
    if request.answer and request.answered_at is None:
        errors["answered_at"].append(_("when the answer was given"))
    if request.answered_at is not None and not request.answer:
        errors["answer"].append(_("granted or refused, at answered_at"))
    if request.answer == Answer.REFUSED and not request.assurance.strip():
        errors["assurance"].append(
            _(
                "a refusal gives the reasonable assurance that the area holds no equipment limited by the treaty "
                "(Protocol on Inspection, Section VIII.9(A)), or for a declared site the reason given"
            )
        )
    return {field: messages for field, messages in errors.items() if messages}


def party(request: InspectionRequest, field: str) -> StateParty | None:
    return getattr(request, field) if getattr(request, f"{field}_id") else None


@transaction.atomic
def record(user, values: dict, request: InspectionRequest | None = None) -> InspectionRequest:
    """Create (no ``request``, or one not yet stored) or change an inspection request with ``values`` as
    ``user``: every field checked against who may write it and what it may hold, then stored whole or not
    at all.

    Raises PermissionDenied when ``user`` writes for neither party, ValidationError by field otherwise.
    """
    request = request or InspectionRequest()
    recorded = request.pk is not None
    if not recorded:
        for field in ("inspecting_party", "inspected_party"):
            setattr(request, field, values.get(field, party(request, field)))
    allowed = request_fields(user, party(request, "inspecting_party"), party(request, "inspected_party"), recorded)
    if not allowed:
        raise PermissionDenied(_("you record only inspections your own state party makes or receives"))
    refused = {
        field: [refusal_reason(field, request)]
        for field, value in values.items()
        if field not in allowed and getattr(request, field, None) != value
    }
    if refused:
        raise ValidationError(refused)
    for field, value in values.items():
        setattr(request, field, value)
    errors = request_errors(request)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:  # a concurrent write the checks above could not see
        cause = (str(error.__cause__ or error).splitlines() or [""])[0]
        raise ValidationError({"reference": [_("not recorded: %(error)s") % {"error": cause}]}) from None
    return request
