"""A group ceiling counts a party only while it is a member: Russia withdrew from the CFE Treaty on
7 November 2023, so from that day on a group ceiling no longer counts its holdings."""

import datetime

from tests import factories as f
from tracker import compliance
from tracker.models import GroupMembership

D = datetime.date


def group_counts(day):
    return [(count.holder, count.counted) for count in compliance.ceiling_counts(day)]


def test_a_group_ceiling_stops_counting_a_member_the_day_after_its_membership_ends():
    rus, blr = f.party("RUS"), f.party("BLR")
    zone = f.zone("Z1")
    eastern = f.group("Budapest/Tashkent", rus, blr)
    GroupMembership.objects.filter(partygroup=eastern, stateparty=rus).update(valid_to=D(2023, 11, 6))
    f.ceiling(zone, 100, applies_to="group", group=eastern)
    f.notification(rus, D(2023, 1, 1), [(f.site(rus), "tanks", 80)])
    f.notification(blr, D(2023, 1, 1), [(f.site(blr), "tanks", 30)])

    assert group_counts(D(2023, 11, 6)) == [("Budapest/Tashkent", 110)]
    assert [b.counted for b in compliance.evaluate(D(2023, 11, 6))] == [110]
    assert group_counts(D(2023, 11, 7)) == [("Budapest/Tashkent", 30)]
    assert compliance.evaluate(D(2023, 11, 7)) == []
    assert D(2023, 11, 7) in compliance.change_dates()
