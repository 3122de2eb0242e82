"""declarations.csv at scale: checked column by column, then copied in and inserted set-wise.

A bundle may hold millions of lines, so nothing here goes row by row through the ORM. Each
check is a vectorised test over a column (values parsed once per distinct value: dates and
times repeat a lot); the clean file is streamed with COPY into a temporary table, and sites,
notifications and holdings are inserted from it with one statement each. The real tables'
history triggers still fire for every inserted row, so the audit trail stays complete.
"""

import datetime
import io
from collections.abc import Callable
from pathlib import Path

import pandas
from django.db import connection
from django.utils.dateparse import parse_datetime
from tqdm import tqdm

from tracker.bundle.format import DECLARATIONS, OPTIONAL, RowError
from tracker.models import HoldingStatus, NotificationKind, NotificationStatus
from tracker.models.declarations import refresh_periods

FILE = "declarations.csv"
CHUNK_ROWS = 100_000
MAX_QUANTITY = 2**31 - 1  # the holding's integer column


class Checks:
    """Collects the errors of column-wide tests, each naming the row and field."""

    def __init__(self, frame: pandas.DataFrame, errors: list[RowError]):
        self.frame, self.errors = frame, errors
        self.found = 0

    def fail(self, mask, field: str, reason: Callable[[str], str] | str | pandas.Series) -> None:
        """Report the rows under ``mask``; ``reason`` is a sentence, a function of the field's value,
        or a column of sentences."""
        bad = self.frame.loc[mask, ["row", field]]
        if isinstance(reason, pandas.Series):
            bad[field] = reason[mask]
        self.found += len(bad)
        for row, value in bad.itertuples(index=False):
            text = value if isinstance(reason, pandas.Series) else reason(value) if callable(reason) else reason
            self.errors.append(RowError(FILE, row, field, text))

    def required(self, field: str) -> pandas.Series:
        """True where the field has a value; an empty one is reported."""
        present = self.frame[field] != ""
        self.fail(~present, field, "is empty")
        return present

    def member(self, field: str, allowed, describe: Callable[[str], str]) -> None:
        self.fail(~self.frame[field].isin(allowed), field, describe)

    def parsed(self, field: str, parse: Callable[[str], str | None], describe: Callable[[str], str]) -> None:
        """Replace the column by ``parse`` of each distinct value, reporting those it rejects (None)."""
        present = self.required(field)
        normal = {value: parse(value) for value in self.frame.loc[present, field].unique()}
        self.fail(present & self.frame[field].map(normal).isna(), field, describe)
        self.frame[field] = self.frame[field].map(normal)


def iso_date(value: str) -> str | None:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def iso_moment(value: str) -> str | None:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    return parsed.isoformat() if parsed is not None and parsed.tzinfo is not None else None


def read(path: Path, progress: bool) -> pandas.DataFrame:
    chunks = pandas.read_csv(
        path, dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=CHUNK_ROWS, skipinitialspace=True
    )
    frames = []
    with tqdm(desc=f"reading {FILE}", unit=" rows", disable=not progress) as bar:
        for chunk in chunks:
            frames.append(chunk)
            bar.update(len(chunk))
    frame = pandas.concat(frames, ignore_index=True) if frames else pandas.DataFrame(columns=DECLARATIONS)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.insert(0, "row", frame.index + 2)
    for column in OPTIONAL[FILE]:
        if column not in frame.columns:
            frame[column] = ""
    return frame


def check(
    frame: pandas.DataFrame, parties: set[str], categories: set[str], errors: list[RowError]
) -> pandas.DataFrame | None:
    """Report every bad value; the frame ready to stage (dates normalised), or None when any is bad."""
    checks = Checks(frame, errors)
    checks.required("notification")
    checks.required("site")
    checks.member("party", parties, lambda value: f"unknown party {value!r}")
    checks.member("kind", NotificationKind.values, lambda value: f"{value!r} is not one of {choices(NotificationKind)}")
    checks.member("status", HoldingStatus.values, lambda value: f"{value!r} is not one of {choices(HoldingStatus)}")
    checks.member("category", categories, lambda value: f"unknown category {value!r}")
    checks.parsed("effective_date", iso_date, lambda value: f"{value!r} is not a date (YYYY-MM-DD)")
    checks.parsed("submitted_at", iso_moment, lambda value: f"{value!r} is not an ISO 8601 date-time with a time zone")
    quantity = pandas.to_numeric(frame["quantity"], errors="coerce")
    whole = quantity.notna() & (quantity == quantity.round())
    checks.fail(~whole, "quantity", lambda value: f"{value!r} is not a whole number")
    checks.fail(whole & (quantity < 0), "quantity", lambda value: f"{value} is negative")
    checks.fail(whole & (quantity > MAX_QUANTITY), "quantity", lambda value: f"{value} is too large")
    new_site = ~site_keys(frame).isin(existing_sites(frame))
    for field, name, limit in (("lon", "longitude", 180), ("lat", "latitude", 90)):
        value = pandas.to_numeric(frame[field], errors="coerce")
        checks.fail(new_site & value.isna(), field, lambda value: f"{value!r} is not a number")
        checks.fail(
            new_site & (value.abs() > limit),
            field,
            lambda value, name=name, limit=limit: f"{name} {value} out of range [-{limit}, {limit}]",
        )
    checks.fail(new_site & (frame["site_name"] == ""), "site_name", "is empty")
    if checks.found:
        return None
    # Agreement between rows only makes sense once every value is readable.
    agreement(checks)
    existing_references(checks)
    checks.fail(
        frame.duplicated(["notification", "site", "category", "status"]),
        "site",
        frame["notification"]
        + " already declares "
        + frame["site"]
        + " "
        + frame["category"]
        + " ("
        + frame["status"]
        + ")",
    )
    supersession(checks)
    if checks.found:
        return None
    frame["quantity"] = quantity.astype("int64").astype(str)
    return frame


def choices(options) -> str:
    return ", ".join(options.values)


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


def agreement(checks: Checks) -> None:
    """Rows of one notification agree on its own fields; rows of one new site on the site's."""
    frame = checks.frame
    for key, fields, what in (
        (frame["notification"], ["party", "kind", "effective_date", "submitted_at", "supersedes"], "notification"),
        (site_keys(frame), ["site_name", "lon", "lat", "unit"], "site"),
    ):
        first = frame.groupby(key, sort=False)[fields].transform("first")
        differs = (frame[fields] != first).any(axis=1)
        checks.fail(
            differs,
            what,
            lambda value, w=what, f=fields: f"rows of {w} {value!r} disagree on {', '.join(f)}",
        )


def existing_references(checks: Checks) -> None:
    references = list(checks.frame["notification"].unique())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reference FROM tracker_notification WHERE reference = ANY(%s)", [references])
        taken = {reference for (reference,) in cursor.fetchall()}
    checks.fail(
        checks.frame["notification"].isin(taken), "notification", lambda value: f"notification {value!r} already exists"
    )


def supersession(checks: Checks) -> None:
    """A correction names a submitted notification of the same party, in the bundle or already loaded."""
    frame = checks.frame
    corrections = frame.loc[frame["supersedes"] != ""].drop_duplicates("notification")
    if corrections.empty:
        return
    originals = dict(zip(frame["notification"], frame["party"]))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.reference, p.code FROM tracker_notification n JOIN tracker_stateparty p ON p.id = n.party_id"
            " WHERE n.reference = ANY(%s) AND n.status = %s AND n.supersedes_id IS NULL",
            [list(corrections["supersedes"]), NotificationStatus.SUBMITTED],
        )
        originals.update(cursor.fetchall())
    same_party = corrections["supersedes"].map(originals) == corrections["party"]
    itself = corrections["supersedes"] == corrections["notification"]
    again = corrections.duplicated("supersedes")
    bad = frame.index.isin(corrections.index[~same_party | itself])
    checks.fail(bad, "supersedes", lambda value: f"unknown notification {value!r} of the same party")
    twice = frame.index.isin(corrections.index[again & same_party & ~itself])
    checks.fail(twice, "supersedes", lambda value: f"{value!r} is already corrected by another notification")


STAGE = """
CREATE TEMPORARY TABLE bundle_declaration (
    row integer, notification text, party text, kind text, effective_date date, submitted_at timestamptz,
    site text, site_name text, lon text, lat text, category text, quantity integer, status text,
    supersedes text, unit text
) ON COMMIT DROP
"""
STAGED = ["row", *DECLARATIONS, *OPTIONAL[FILE]]

INSERT_SITES = """
INSERT INTO tracker_site (party_id, code, name, location, unit)
SELECT DISTINCT ON (p.id, d.site)
       p.id, d.site, d.site_name, ST_SetSRID(ST_MakePoint(d.lon::float8, d.lat::float8), 4326), coalesce(d.unit, '')
FROM bundle_declaration d JOIN tracker_stateparty p ON p.code = d.party
WHERE NOT EXISTS (SELECT FROM tracker_site s WHERE s.party_id = p.id AND s.code = d.site)
ORDER BY p.id, d.site, d.row
"""
# Drafts until their lines are in: the database refuses lines added to a submitted notification.
INSERT_NOTIFICATIONS = """
INSERT INTO tracker_notification (party_id, reference, kind, effective_date, status, submitted_at, remarks)
SELECT DISTINCT ON (d.notification) p.id, d.notification, d.kind, d.effective_date, 'draft', d.submitted_at, ''
FROM bundle_declaration d JOIN tracker_stateparty p ON p.code = d.party
ORDER BY d.notification, d.row
"""
LINK_CORRECTIONS = """
UPDATE tracker_notification c SET supersedes_id = o.id
FROM (SELECT DISTINCT notification, supersedes FROM bundle_declaration WHERE supersedes IS NOT NULL) d
JOIN tracker_notification o ON o.reference = d.supersedes
WHERE c.reference = d.notification
"""
SUPERSEDE = """
UPDATE tracker_notification SET status = 'superseded'
WHERE id IN (
    SELECT c.supersedes_id FROM tracker_notification c
    WHERE c.reference IN (SELECT notification FROM bundle_declaration WHERE supersedes IS NOT NULL)
)
"""
INSERT_HOLDINGS = """
INSERT INTO tracker_holding (notification_id, site_id, category_id, quantity, status)
SELECT n.id, s.id, c.id, d.quantity, d.status
FROM bundle_declaration d
JOIN tracker_notification n ON n.reference = d.notification
JOIN tracker_site s ON s.party_id = n.party_id AND s.code = d.site
JOIN tracker_equipmentcategory c ON c.code = d.category
ORDER BY d.row
"""
SUBMIT = """
UPDATE tracker_notification SET status = 'submitted'
WHERE status = 'draft' AND reference IN (SELECT notification FROM bundle_declaration)
"""
TOUCHED_SITES = """
SELECT DISTINCT s.id FROM bundle_declaration d
JOIN tracker_stateparty p ON p.code = d.party JOIN tracker_site s ON s.party_id = p.id AND s.code = d.site
"""


def stage(frame: pandas.DataFrame, progress: bool) -> None:
    """Stream the checked rows into a temporary table with COPY."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bundle_declaration")  # a second load in the same transaction
        cursor.execute(STAGE)
        columns = ", ".join(STAGED)
        with (
            tqdm(total=len(frame), desc=f"copying {FILE}", unit=" rows", disable=not progress) as bar,
            cursor.cursor.copy(f"COPY bundle_declaration ({columns}) FROM STDIN (FORMAT csv)") as copy,
        ):
            for start in range(0, len(frame), CHUNK_ROWS):
                chunk = frame.iloc[start : start + CHUNK_ROWS][STAGED]
                buffer = io.StringIO()
                chunk.to_csv(buffer, header=False, index=False)
                copy.write(buffer.getvalue())
                bar.update(len(chunk))
        cursor.execute("ANALYZE bundle_declaration")


def insert(progress: bool) -> dict[str, int]:
    """Sites, notifications, corrections and holdings from the staged rows, then the holdings' periods."""
    counts = {}
    steps = [
        ("sites", INSERT_SITES),
        ("notifications", INSERT_NOTIFICATIONS),
        ("corrections", LINK_CORRECTIONS),
        ("holdings", INSERT_HOLDINGS),
        ("submitted", SUBMIT),
        ("superseded", SUPERSEDE),
    ]
    with (
        connection.cursor() as cursor,
        tqdm(total=len(steps) + 1, desc="inserting", unit=" steps", disable=not progress) as bar,
    ):
        for what, statement in steps:
            bar.set_postfix_str(what)
            cursor.execute(statement)
            counts[what] = cursor.rowcount
            bar.update()
        bar.set_postfix_str("periods")
        cursor.execute(TOUCHED_SITES)
        refresh_periods([site for (site,) in cursor.fetchall()])
        bar.update()
    return counts


def load(
    path: Path, parties: set[str], categories: set[str], errors: list[RowError], progress: bool
) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Check declarations.csv and, when it and everything before it is clean, write it.

    Returns the counts written and the (party, site) keys the file declares."""
    frame = read(path, progress)
    missing = [column for column in DECLARATIONS if column not in frame.columns]
    if missing:
        errors.append(RowError(FILE, 1, ", ".join(missing), "missing column"))
        return {}, set()
    declared = set(zip(frame["party"], frame["site"]))
    frame = check(frame, parties, categories, errors)
    if frame is None or errors or frame.empty:
        return {}, declared
    stage(frame, progress)
    return insert(progress), declared
