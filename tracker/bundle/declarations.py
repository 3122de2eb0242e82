"""declarations.csv at scale: checked column by column, then copied in and inserted set-wise.

A bundle may hold millions of lines, so nothing here goes row by row through the ORM. Each
check is a vectorised test over a column (values parsed once per distinct value: dates and
times repeat a lot). A clean file is then streamed as it is with COPY into a temporary table,
the few values that needed normalising (stray spaces, other ISO 8601 spellings) are rewritten
there, and sites, objects of verification, notifications and holdings are inserted from it with
one statement each.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

import pandas
from django.db import IntegrityError, connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from tracker.bundle.columns import Checks, choices, iso_date, iso_moment, rewrite
from tracker.bundle.format import DECLARATIONS, OPTIONAL, RowError
from tracker.bundle.set_wise import insert_recorded, insert_with_history_aside, quoted
from tracker.declarations import Header, declared_twice, notification_errors
from tracker.models import (
    Holding,
    HoldingStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
    ObjectOfVerification,
    Site,
    StateParty,
)
from tracker.models.declarations import MAX_QUANTITY, periods, refresh_periods

FILE = "declarations.csv"
# A new site's names in Ukrainian and Russian beside ``site_name`` (zones.names).
SITE_NAMES = ["site_name_uk", "site_name_ru"]
CHUNK_ROWS = 100_000
BULK_WORK_MEM = "256MB"


def chunks(path: Path, progress: bool) -> Iterator[pandas.DataFrame]:
    """The file's rows, CHUNK_ROWS at a time, so that memory stays flat however long the file: each value
    stripped (the rewrites noted in ``attrs["fixes"]``), ``row`` numbered as in reports, the columns as
    the file has them in ``attrs["columns"]`` (for COPY) and every optional one there."""
    reader = pandas.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=CHUNK_ROWS)
    with reader, tqdm(desc=f"checking {FILE}", unit=" rows", disable=not progress) as bar:
        for frame in reader:
            fixes = {}
            for column in frame.columns:
                # Strip each distinct value once: columns repeat a few values a million times.
                values = frame[column].unique()
                stripped = {value: value.strip() for value in values if value != value.strip()}
                if stripped:
                    frame[column] = frame[column].replace(stripped)
                    fixes[column] = stripped
            frame.attrs.update(fixes=fixes, columns=list(frame.columns))
            frame.insert(0, "row", frame.index + 2)
            for column in OPTIONAL[FILE]:
                if column not in frame.columns:
                    frame[column] = ""
            yield frame
            bar.update(len(frame))


def check(
    frame: pandas.DataFrame,
    parties: dict[str, StateParty],
    categories: set[str],
    types: dict[str, str],
    errors: list[RowError],
) -> bool:
    """Report every bad value of the rows of ``frame``; whether there is none. Once there is none, the
    frame's ``attrs["fixes"]`` say how to rewrite its values once staged (dates and numbers normalised).
    ``types``: the category code of each equipment type, by name."""
    checks = Checks(FILE, frame, errors)
    checks.required("notification")
    checks.required("site")
    checks.member("party", set(parties), lambda value: _("unknown party %(value)r") % {"value": value})
    checks.member("kind", NotificationKind.values, lambda value: not_one_of(value, NotificationKind))
    checks.member("status", HoldingStatus.values, lambda value: not_one_of(value, HoldingStatus))
    checks.member("category", categories, lambda value: _("unknown category %(value)r") % {"value": value})
    typed = frame["type"] != ""
    checks.fail(
        typed & ~frame["type"].isin(list(types)),
        "type",
        lambda value: _("unknown equipment type %(value)r") % {"value": value},
    )
    type_category = frame["type"].map(types).astype(object).fillna("")
    of_other = typed & (type_category != "") & (type_category != frame["category"])
    checks.fail(
        of_other,
        "type",
        sentences(
            _("%(type)s is of %(found)s, not %(category)s"),
            type=frame.loc[of_other, "type"],
            found=type_category[of_other],
            category=frame.loc[of_other, "category"],
        ),
    )
    checks.parsed(
        "effective_date", iso_date, lambda value: _("%(value)r is not a date (YYYY-MM-DD)") % {"value": value}
    )
    checks.parsed(
        "submitted_at",
        iso_moment,
        lambda value: _("%(value)r is not an ISO 8601 date-time with a time zone") % {"value": value},
    )
    checks.plausible("effective_date", datetime.date.fromisoformat)
    checks.plausible("submitted_at", lambda value: datetime.datetime.fromisoformat(value).date())
    quantity = pandas.to_numeric(frame["quantity"], errors="coerce")
    whole = quantity.notna() & (quantity == quantity.round())
    checks.fail(~whole, "quantity", lambda value: _("%(value)r is not a whole number") % {"value": value})
    checks.fail(whole & (quantity < 0), "quantity", lambda value: _("%(value)s is negative") % {"value": value})
    checks.fail(
        whole & (quantity > MAX_QUANTITY), "quantity", lambda value: _("%(value)s is too large") % {"value": value}
    )
    new_site = ~site_keys(frame).isin(existing_sites(frame))
    for field, out_of_range, limit in (
        ("lon", _("longitude %(value)s out of range [-%(limit)d, %(limit)d]"), 180),
        ("lat", _("latitude %(value)s out of range [-%(limit)d, %(limit)d]"), 90),
    ):
        value = pandas.to_numeric(frame[field], errors="coerce")
        checks.fail(new_site & value.isna(), field, lambda value: _("%(value)r is not a number") % {"value": value})
        checks.fail(
            new_site & (value.abs() > limit),
            field,
            lambda value, message=out_of_range, limit=limit: message % {"value": value, "limit": limit},
        )
    checks.fail(new_site & (frame["site_name"] == ""), "site_name", _("is empty"))
    for field in ("site_name", *SITE_NAMES):
        longest = Site._meta.get_field(field.removeprefix("site_")).max_length
        checks.fail(new_site & (frame[field].str.len() > longest), field, too_long(longest))
    if checks.found:
        return False
    spelled = frame["quantity"].unique()
    whole_numbers = {value: str(int(number)) for value, number in zip(spelled, pandas.to_numeric(spelled))}
    rewrite(frame, "quantity", whole_numbers)
    return True


def not_one_of(value: str, options) -> str:
    return _("%(value)r is not one of %(choices)s") % {"value": value, "choices": choices(options)}


def too_long(longest: int) -> str:
    return _("is longer than %(count)d characters") % {"count": longest}


def sentences(message: str, **columns: pandas.Series) -> pandas.Series:
    """``message`` filled in with each row's values of ``columns`` (all of the same rows): a reason per row."""
    index = next(iter(columns.values())).index
    values = zip(*columns.values())
    return pandas.Series([message % dict(zip(columns, row)) for row in values], index=index, dtype=object)


def site_keys(frame: pandas.DataFrame) -> pandas.Series:
    return frame["party"] + "\t" + frame["site"]


def existing_sites(frame: pandas.DataFrame) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.code || E'\\t' || s.code FROM tracker_site s JOIN tracker_stateparty p ON p.id = s.party_id"
            " WHERE p.code = ANY(%s)",
            [list(frame["party"].unique())],
        )
        return {key for (key,) in cursor.fetchall()}


# The staged rows (bundle_declaration, values rewritten as checked) whose fields differ from those of
# the first row of the same key, in file order; an empty value is the same whether quoted or not. The
# keys are found by hashing, the rows ordered only for the keys whose rows disagree (normally none).
DISAGREEING = """
WITH disagreeing AS MATERIALIZED (
    SELECT {key} AS key FROM bundle_declaration d GROUP BY 1 HAVING min(ARRAY[{fields}]) <> max(ARRAY[{fields}])
)
SELECT row, value FROM (
    SELECT row, {value} AS value, ARRAY[{fields}] AS said,
           first_value(ARRAY[{fields}]) OVER (PARTITION BY {key} ORDER BY row) AS first
    FROM bundle_declaration d WHERE {key} IN (SELECT key FROM disagreeing)
) x
WHERE said <> first ORDER BY row
"""
PARTY_KEY = "coalesce(d.party, '') || E'\\t' || "
# A line names its object of verification by record number; none named: the site's own.
RECORD_NUMBER = """coalesce(nullif(d."object", ''), d.site)"""
LINE_KEY = f"""d.notification, {RECORD_NUMBER}, d.category, coalesce(d."type", ''), d.status"""
REPEATED = f"""
WITH repeated AS MATERIALIZED (SELECT {LINE_KEY} FROM bundle_declaration d GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1)
SELECT row, site, "object", {RECORD_NUMBER}, category, coalesce("type", ''), status, coalesce("object", '') <> ''
FROM bundle_declaration d WHERE ({LINE_KEY}) IN (SELECT * FROM repeated) ORDER BY row
"""
# The first row of each notification, and of each of the sites the rows name.
FIRST_OF = """
CREATE TEMPORARY TABLE bundle_first ON COMMIT DROP AS
SELECT * FROM bundle_declaration WHERE row IN (
    SELECT min(row) FROM bundle_declaration GROUP BY notification
    UNION SELECT min(row) FROM bundle_declaration GROUP BY party, site
)
"""
FIRST_ROWS = """
SELECT DISTINCT ON (notification) row, notification, party, kind, coalesce(supersedes, '')
FROM bundle_first ORDER BY notification, row
"""


def said(cursor, query: str, columns: list[str], params=None) -> pandas.DataFrame:
    cursor.execute(query, params)
    return pandas.DataFrame(cursor.fetchall(), columns=columns)


def disagreeing(cursor, errors: list[RowError], key: str, value: str, fields: list[str], field: str, reason) -> None:
    """Report, at ``field`` with ``reason`` of its ``value``, each staged row whose ``fields`` differ from
    those of the first row of its ``key`` (SQL expressions over ``bundle_declaration d``)."""
    listed = ", ".join(f"coalesce(d.{quoted(name)}, '')" for name in fields)
    rows = said(cursor, DISAGREEING.format(key=key, value=value, fields=listed), ["row", field])
    Checks(FILE, rows, errors).fail(slice(None), field, reason)


def agreement(cursor, parties: dict[str, StateParty], errors: list[RowError]) -> bool:
    """The checks between rows, made on the staged rows; whether they all pass. Rows of one notification
    agree on its own fields, rows of one site on the site's, rows of one object of verification on its
    designation; no line is repeated in its notification; and each notification meets the rules every
    notification does."""
    before = len(errors)
    notification = ["party", "kind", "effective_date", "submitted_at", "supersedes"]
    disagreeing(
        cursor,
        errors,
        "d.notification",
        "d.notification",
        notification,
        "notification",
        lambda value: (
            _("rows of notification %(value)r disagree on %(fields)s")
            % {"value": value, "fields": ", ".join(notification)}
        ),
    )
    site = ["site_name", *SITE_NAMES, "lon", "lat", "unit"]
    disagreeing(
        cursor,
        errors,
        PARTY_KEY + "d.site",
        "d.site",
        site,
        "site",
        lambda value: _("rows of site %(value)r disagree on %(fields)s") % {"value": value, "fields": ", ".join(site)},
    )
    disagreeing(
        cursor,
        errors,
        PARTY_KEY + RECORD_NUMBER,
        RECORD_NUMBER,
        ["object_designation"],
        "object_designation",
        lambda value: _("rows of object of verification %(record)s disagree on object_designation") % {"record": value},
    )
    cursor.execute(FIRST_OF)
    first = said(cursor, FIRST_ROWS, ["row", *FIRST_FIELDS]).sort_values("row")
    notification_rules(Checks(FILE, first, errors), parties)
    line = said(cursor, REPEATED, ["row", "site", "object", "record_number", "category", "type", "status", "named"])
    if not line.empty:
        what = line["category"].where(line["type"] == "", line["category"] + " " + line["type"])
        reason = declared_twice(line["record_number"], what, line["status"])
        repeated = Checks(FILE, line, errors)
        repeated.fail(~line["named"], "site", reason)
        repeated.fail(line["named"], "object", reason)
    return len(errors) == before


# The bundle names its notifications' fields by the file's columns.
COLUMN = {"reference": "notification", "kind": "kind", "supersedes": "supersedes"}
FIRST_FIELDS = ["notification", "party", "kind", "supersedes"]


def notification_rules(checks: Checks, parties: dict[str, StateParty]) -> None:
    """Each notification meets the rules every notification does (tracker.declarations), told on its first row.

    A correction names a notification of its own party, in the bundle or already loaded. One that
    names none is loaded as it was notified: the demo's UKR-2026-CR-001 restates a line of an
    annual exchange without superseding it."""
    first = checks.frame.drop_duplicates("notification")
    originals = named_originals(first, parties)
    headers = [
        Header(parties[party], reference, kind, None if supersedes == reference else originals.get((party, supersedes)))
        for reference, party, kind, supersedes in zip(
            first["notification"], first["party"], first["kind"], first["supersedes"]
        )
    ]
    for row, supersedes, header, found in zip(first["row"], first["supersedes"], headers, notification_errors(headers)):
        if supersedes and header.supersedes is None:
            checks.add(row, "supersedes", _("unknown notification %(value)r of the same party") % {"value": supersedes})
        if header.supersedes is None:
            found.pop("kind", None)
        for field, messages in found.items():
            for message in messages:
                checks.add(row, COLUMN[field], message)


def named_originals(first: pandas.DataFrame, parties: dict[str, StateParty]) -> dict[tuple[str, str], Notification]:
    """The notifications the bundle's corrections name, by party code and reference: those already
    loaded, and the bundle's own as they will be once loaded (submitted)."""
    named = first.loc[first["supersedes"] != "", ["party", "supersedes"]]
    if named.empty:
        return {}
    loaded = Notification.objects.filter(
        party__code__in=list(named["party"].unique()), reference__in=list(named["supersedes"].unique())
    ).select_related("party")
    originals = {(notification.party.code, notification.reference): notification for notification in loaded}
    bundled = first.loc[first["notification"].isin(named["supersedes"])]
    for reference, party, kind in zip(bundled["notification"], bundled["party"], bundled["kind"]):
        originals[party, reference] = Notification(
            party=parties[party], reference=reference, kind=kind, status=NotificationStatus.SUBMITTED
        )
    return originals


def stage(cursor, path: Path, columns: list[str], fixes: dict[str, dict[str, str]], progress: bool) -> None:
    """Stream the file as it is into ``bundle_declaration`` (a text column per column of the file,
    ``row`` numbered as in reports), then rewrite the values ``fixes`` names as they were checked."""
    missing = [column for column in OPTIONAL[FILE] if column not in columns]
    # Dropped first: a second load in the same transaction finds them still there.
    cursor.execute("DROP TABLE IF EXISTS bundle_declaration, bundle_first, bundle_site, bundle_notification")
    cursor.execute(
        "CREATE TEMPORARY TABLE bundle_declaration (row bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), "
        + ", ".join(f"{quoted(column)} text" for column in columns + missing)
        + ") ON COMMIT DROP"
    )
    listed = ", ".join(quoted(column) for column in columns)
    size = path.stat().st_size
    with (
        tqdm(total=size, desc=f"copying {FILE}", unit="B", unit_scale=True, disable=not progress) as bar,
        cursor.cursor.copy(f"COPY bundle_declaration ({listed}) FROM STDIN (FORMAT csv, HEADER true)") as copy,
        path.open("rb") as handle,
    ):
        while block := handle.read(1 << 20):
            copy.write(block)
            bar.update(len(block))
    for column, spelled in fixes.items():
        if spelled:
            cursor.execute(
                f"UPDATE bundle_declaration SET {quoted(column)} = m.normal"
                f" FROM unnest(%s::text[], %s::text[]) AS m(raw, normal) WHERE {quoted(column)} = m.raw",
                [list(spelled), list(spelled.values())],
            )
    cursor.execute("ANALYZE bundle_declaration")


# The new sites and the notifications, each as its first row has it (the rows agree).
STAGE_SITES_AND_NOTIFICATIONS = """
CREATE TEMPORARY TABLE bundle_site ON COMMIT DROP AS
SELECT DISTINCT ON (d.party, d.site) d.party, d.site, nullif(d.site_name, '') AS site_name,
       nullif(d.site_name_uk, '') AS site_name_uk, nullif(d.site_name_ru, '') AS site_name_ru, d.lon, d.lat,
       nullif(d.unit, '') AS unit
FROM bundle_first d
WHERE NOT EXISTS (
    SELECT FROM tracker_site s JOIN tracker_stateparty p ON p.id = s.party_id WHERE p.code = d.party AND s.code = d.site
)
ORDER BY d.party, d.site, d.row;
CREATE TEMPORARY TABLE bundle_notification ON COMMIT DROP AS
SELECT DISTINCT ON (notification) notification, party, kind, effective_date, submitted_at,
       nullif(supersedes, '') AS supersedes
FROM bundle_first ORDER BY notification, row;
"""


INSERT_SITES = """
INSERT INTO tracker_site (party_id, code, name, name_uk, name_ru, location, unit)
SELECT p.id, b.site, b.site_name, coalesce(b.site_name_uk, ''), coalesce(b.site_name_ru, ''),
       ST_SetSRID(ST_MakePoint(b.lon::float8, b.lat::float8), 4326), coalesce(b.unit, '')
FROM bundle_site b JOIN tracker_stateparty p ON p.code = b.party
"""
# Objects of verification new to their party, each at the site of its latest line that counts (a
# relocation is a line at a new site), designated as its rows say or after its site's unit or name.
INSERT_OBJECTS = f"""
INSERT INTO tracker_objectofverification (party_id, record_number, designation, site_id)
SELECT DISTINCT ON (s.party_id, {RECORD_NUMBER})
       s.party_id, {RECORD_NUMBER}, coalesce(nullif(d.object_designation, ''), nullif(s.unit, ''), s.name), s.id
FROM bundle_declaration d
JOIN bundle_notification b ON b.notification = d.notification
JOIN tracker_stateparty p ON p.code = d.party
JOIN tracker_site s ON s.party_id = p.id AND s.code = d.site
LEFT JOIN (SELECT DISTINCT supersedes FROM bundle_notification WHERE supersedes IS NOT NULL) x
       ON x.supersedes = d.notification
WHERE NOT EXISTS (
    SELECT FROM tracker_objectofverification o WHERE o.party_id = p.id AND o.record_number = {RECORD_NUMBER}
)
ORDER BY s.party_id, {RECORD_NUMBER}, x.supersedes IS NOT NULL,
         b.effective_date::date DESC, b.submitted_at::timestamptz DESC, d.row DESC
"""
# Drafts until their lines are in: the database refuses lines added to a submitted notification.
INSERT_NOTIFICATIONS = """
INSERT INTO tracker_notification (party_id, reference, kind, effective_date, status, submitted_at, remarks)
SELECT p.id, b.notification, b.kind, b.effective_date::date, 'draft', b.submitted_at::timestamptz, ''
FROM bundle_notification b JOIN tracker_stateparty p ON p.code = b.party
"""
LINK_CORRECTIONS = """
UPDATE tracker_notification c SET supersedes_id = o.id
FROM bundle_notification b JOIN tracker_notification o ON o.reference = b.supersedes
WHERE c.reference = b.notification
"""
SUBMIT = """
UPDATE tracker_notification SET status = 'submitted'
WHERE status = 'draft' AND reference IN (SELECT notification FROM bundle_notification)
"""
SUPERSEDE = """
UPDATE tracker_notification SET status = 'superseded'
WHERE reference IN (SELECT supersedes FROM bundle_notification WHERE supersedes IS NOT NULL)
"""
# The bundle's lines, placed in time as refresh_periods() would place them once the bundle's
# notifications are submitted and those its corrections name superseded (their lines do not count).
BUNDLE_LINES = f"""
SELECT d.row AS id, n.id AS notification_id, o.id AS object_id, s.id AS site_id, c.id AS category_id,
       t.id AS type_id, d.status, d.quantity::integer AS quantity, x.supersedes IS NULL AS counts,
       n.effective_date, n.submitted_at
FROM bundle_declaration d
JOIN tracker_notification n ON n.reference = d.notification
JOIN tracker_site s ON s.party_id = n.party_id AND s.code = d.site
JOIN tracker_objectofverification o ON o.party_id = n.party_id AND o.record_number = {RECORD_NUMBER}
JOIN tracker_equipmentcategory c ON c.code = d.category
LEFT JOIN tracker_equipmenttype t ON t.name = d."type"
LEFT JOIN (SELECT DISTINCT supersedes FROM bundle_notification WHERE supersedes IS NOT NULL) x
       ON x.supersedes = n.reference
"""
# In file order, so that the lines' ids follow the rows their periods were ordered by.
INSERT_HOLDINGS = f"""
INSERT INTO tracker_holding (notification_id, object_of_verification_id, site_id, category_id, equipment_type_id,
                             quantity, status, effective_from, effective_to)
SELECT notification_id, object_id, site_id, category_id, type_id, quantity, status, effective_from, effective_to
FROM ({periods(BUNDLE_LINES)}) placed
ORDER BY id
"""
# Objects of verification of the bundle that also hold lines from outside it: only there can a
# period computed above, or an earlier line's, be wrong.
TOUCHED_OBJECTS = f"""
SELECT DISTINCT h.object_of_verification_id FROM tracker_holding h
JOIN tracker_notification n ON n.id = h.notification_id
WHERE NOT EXISTS (SELECT FROM bundle_notification b WHERE b.notification = n.reference)
  AND h.object_of_verification_id IN (
      SELECT o.id FROM bundle_declaration d
      JOIN tracker_stateparty p ON p.code = d.party
      JOIN tracker_objectofverification o ON o.party_id = p.id AND o.record_number = {RECORD_NUMBER}
  )
"""
# An object of verification that held lines before the bundle is where its latest line that counts puts it.
RELOCATE_OBJECTS = """
UPDATE tracker_objectofverification o SET site_id = latest.site_id
FROM (
    SELECT DISTINCT ON (h.object_of_verification_id) h.object_of_verification_id AS id, h.site_id
    FROM tracker_holding h JOIN tracker_notification n ON n.id = h.notification_id
    WHERE h.object_of_verification_id = ANY(%s) AND n.status = 'submitted'
    ORDER BY h.object_of_verification_id, n.effective_date DESC, n.submitted_at DESC, h.id DESC
) latest
WHERE o.id = latest.id AND o.site_id <> latest.site_id
"""


# The bundle's lines in the zone totals, as the zone-totals trigger on tracker_holding would add
# them (tracker/sql/zone_totals.sql): each line under every zone version of its site's zone set, from
# the day it takes effect until the day it ends, storage split by its site's designation. Called
# per line, tracker_line_edges would cost more than all the rest (its search_path is pinned, so
# the planner cannot inline it): lines alike in all it reads are summed first, and it is called
# once per distinct period and designation. The keys name the bundle's own notifications, which
# no row has yet: there is nothing to fold into.
BUNDLE_ZONE_TOTALS = """
WITH line AS (
    SELECT m.zone_set_id, m.party_id, h.category_id, h.equipment_type_id, h.notification_id, h.status,
           h.effective_from, coalesce(h.effective_to, 'infinity') AS effective_to,
           coalesce(s.storage_from, 'infinity') AS storage_from, coalesce(s.storage_to, 'infinity') AS storage_to,
           sum(h.quantity) AS quantity, count(*) AS lines
    FROM tracker_holding h
    JOIN tracker_sitezones m ON m.site_id = h.site_id
    JOIN tracker_site s ON s.id = h.site_id
    WHERE h.notification_id = ANY(%(notifications)s) AND h.quantity > 0 AND h.effective_from IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
), edge AS MATERIALIZED (
    SELECT span.*, e.status AS counted, e.day, e.quantity AS sign
    FROM (SELECT DISTINCT status, effective_from, effective_to, storage_from, storage_to FROM line) span
    CROSS JOIN LATERAL tracker_line_edges(
        1, 1, span.status, span.effective_from, nullif(span.effective_to, 'infinity'),
        nullif(span.storage_from, 'infinity'), nullif(span.storage_to, 'infinity')
    ) e
)
INSERT INTO tracker_zonetotal (zone_version_id, party_id, category_id, equipment_type_id, status, notification_id,
                               day, quantity, lines)
SELECT version.id, line.party_id, line.category_id, line.equipment_type_id, edge.counted, line.notification_id,
       edge.day, sum(edge.sign * line.quantity), sum(edge.sign * line.lines)
FROM line
JOIN edge USING (status, effective_from, effective_to, storage_from, storage_to)
JOIN tracker_zoneset z ON z.id = line.zone_set_id
CROSS JOIN LATERAL unnest(z.versions) AS version(id)
GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(edge.sign * line.quantity) <> 0 OR sum(edge.sign * line.lines) <> 0
"""
# As the trigger does: a concurrent move of these sites to other zone sets waits for this
# transaction, or this one for it, and then reads the sets it wrote.
LOCK_SITE_ZONES = """
SELECT FROM tracker_sitezones WHERE site_id IN (
    SELECT DISTINCT site_id FROM tracker_holding WHERE notification_id = ANY(%(notifications)s)
) FOR SHARE
"""
BUNDLE_NOTIFICATIONS = """
SELECT n.id, n.status FROM tracker_notification n WHERE n.reference IN (SELECT notification FROM bundle_notification)
"""


def insert_lines(cursor) -> int:
    """The bundle's lines, with their history events and their zone totals.

    Row by row, the history trigger, the guard of submitted notifications, the zone totals' trigger and
    the five foreign keys' checks cost many times the insert itself. Set aside (``insert_recorded``),
    each is done for all lines at once: the events and the foreign keys there, the zone totals by
    BUNDLE_ZONE_TOTALS, and the guard needs nothing, as every line goes to a notification this
    transaction has just made a draft (checked first: a notification the bundle names and the database
    holds already is refused)."""
    cursor.execute(BUNDLE_NOTIFICATIONS)
    notifications = cursor.fetchall()
    if any(status != NotificationStatus.DRAFT for _, status in notifications):
        raise IntegrityError("the lines of a submitted notification cannot be added; submit a correction")
    inserted, aside = insert_recorded(cursor, Holding, INSERT_HOLDINGS)
    cursor.execute("ANALYZE tracker_holding")
    if aside:
        ids = {"notifications": [pk for pk, _ in notifications]}
        cursor.execute(LOCK_SITE_ZONES, ids)
        # The planner cannot tell how many days tracker_line_edges yields, takes the millions of
        # line-by-zone rows for a few and sorts them on disk to group them, three times slower than
        # hashing them.
        cursor.execute("SELECT set_config('enable_sort', 'off', true)")
        cursor.execute(BUNDLE_ZONE_TOTALS, ids)
        cursor.execute("SELECT set_config('enable_sort', 'on', true)")
    return inserted


def insert(progress: bool) -> dict[str, int]:
    """Sites, notifications, corrections and holdings from the staged rows, then the holdings' periods."""
    counts = {}
    with (
        connection.cursor() as cursor,
        tqdm(total=6, desc="inserting", unit=" steps", disable=not progress) as bar,
    ):
        for what, model, statement in (
            ("sites", Site, INSERT_SITES),
            ("objects of verification", ObjectOfVerification, INSERT_OBJECTS),
            ("notifications", Notification, INSERT_NOTIFICATIONS),
        ):
            bar.set_postfix_str(what)
            if model is Site:
                # Placed in their zones by their statement trigger, which must run.
                counts[what] = insert_with_history_aside(cursor, model, statement)
            else:
                counts[what] = insert_recorded(cursor, model, statement)[0]
            # The planner must know the rows just added, or it joins millions of lines by nested loops.
            cursor.execute(f"ANALYZE {model._meta.db_table}")
            if model is Site:
                cursor.execute("ANALYZE tracker_sitezones")
                cursor.execute("ANALYZE tracker_zoneset")
            bar.update()
        bar.set_postfix_str("corrections")
        cursor.execute(LINK_CORRECTIONS)
        bar.update()
        bar.set_postfix_str("holdings")
        counts["holdings"] = insert_lines(cursor)
        cursor.execute(SUBMIT)
        cursor.execute(SUPERSEDE)
        counts["superseded"] = cursor.rowcount
        bar.update()
        bar.set_postfix_str("periods")
        # Again for the notifications: analysed as drafts, the planner would take none for submitted.
        cursor.execute("ANALYZE tracker_notification")
        cursor.execute(TOUCHED_OBJECTS)
        touched = [found for (found,) in cursor.fetchall()]
        if touched:
            refresh_periods(touched)
            cursor.execute(RELOCATE_OBJECTS, [touched])
        bar.update()
    return counts


def load(
    path: Path,
    parties: dict[str, StateParty],
    categories: set[str],
    types: dict[str, str],
    errors: list[RowError],
    progress: bool,
) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Check declarations.csv and, when it and everything before it is clean, write it.

    Each row is checked as it is read, a chunk at a time; the checks between rows are made on the
    staged rows. Returns the counts written and the (party, site) keys the file declares."""
    columns, fixes, declared, clean = None, {}, set(), True
    try:
        for frame in chunks(path, progress):
            if columns is None:
                columns = frame.attrs["columns"]
                missing = [column for column in DECLARATIONS if column not in columns]
                if missing:
                    errors.append(RowError(FILE, 1, ", ".join(missing), _("missing column")))
                    return {}, set()
            declared.update(zip(frame["party"], frame["site"]))
            if check(frame, parties, categories, types, errors):
                for column, spelled in frame.attrs["fixes"].items():
                    fixes.setdefault(column, {}).update(spelled)
            else:
                clean = False
    except (pandas.errors.ParserError, pandas.errors.EmptyDataError, UnicodeDecodeError) as error:
        errors.append(RowError(FILE, 0, "-", _("cannot be read as UTF-8 CSV (%(error)s)") % {"error": error}))
        return {}, set()
    # Agreement between rows only makes sense once every value is readable; it is told even when
    # another file is wrong, so that one report lists all there is to mend.
    if columns is None or not clean:
        return {}, declared
    with connection.cursor() as cursor:
        # Millions of rows are grouped below (by key, by zone version): in memory, not on disk.
        cursor.execute("SELECT set_config('work_mem', %s, true)", [BULK_WORK_MEM])
        stage(cursor, path, columns, fixes, progress)
        if not agreement(cursor, parties, errors) or errors:
            return {}, declared
        cursor.execute(STAGE_SITES_AND_NOTIFICATIONS)
        cursor.execute("ANALYZE bundle_site")
        cursor.execute("ANALYZE bundle_notification")
    return insert(progress), declared
