from django.db import migrations

# Which zone versions each site lies in is worked out once, when a site or a zone version is
# written, by statement-level triggers over transition tables: set-based, so a COPY of a
# million sites costs one join, and no writer (admin, bundle loader, bulk SQL) can forget it.
SITE_ZONES = """
CREATE FUNCTION tracker_refresh_site_zones(site_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Zone versions outer, sites through their spatial index inner: each zone's geometry is
    -- then prepared once by PostGIS and reused for every site it is tested against.
    WITH scope AS (
        SELECT s.id, s.location FROM tracker_site s
        WHERE site_ids IS NULL OR s.id IN (SELECT unnest(site_ids))
    ), hits AS (
        SELECT s.id, array_agg(v.id ORDER BY v.id) AS versions
        FROM zones_zoneversion v
        JOIN tracker_site s ON ST_Intersects(v.geom, s.location)
        WHERE site_ids IS NULL OR s.id IN (SELECT unnest(site_ids))
        GROUP BY s.id
    )
    INSERT INTO tracker_sitezones (site_id, versions)
    SELECT scope.id, coalesce(hits.versions, '{}') FROM scope LEFT JOIN hits ON hits.id = scope.id
    ON CONFLICT (site_id) DO UPDATE SET versions = EXCLUDED.versions
    WHERE tracker_sitezones.versions IS DISTINCT FROM EXCLUDED.versions;
END $$;

CREATE FUNCTION tracker_site_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tracker_refresh_site_zones(ARRAY(SELECT id FROM new_sites));
    ELSE
        PERFORM tracker_refresh_site_zones(ARRAY(
            SELECT n.id FROM new_sites n JOIN old_sites o ON o.id = n.id
            WHERE NOT ST_Equals(n.location, o.location)
        ));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER site_zones_on_insert AFTER INSERT ON tracker_site
    REFERENCING NEW TABLE AS new_sites FOR EACH STATEMENT EXECUTE FUNCTION tracker_site_written();
CREATE TRIGGER site_zones_on_update AFTER UPDATE ON tracker_site
    REFERENCING NEW TABLE AS new_sites OLD TABLE AS old_sites
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_site_written();

-- A zone version written or removed: the sites it covered before or covers now are recomputed.
CREATE FUNCTION tracker_zone_version_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        touched := ARRAY(SELECT m.site_id FROM tracker_sitezones m
                         WHERE m.versions && ARRAY(SELECT id FROM old_versions));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        touched := coalesce(touched, '{}') || ARRAY(
            SELECT s.id FROM new_versions v JOIN tracker_site s ON ST_Intersects(v.geom, s.location));
    END IF;
    PERFORM tracker_refresh_site_zones(touched);
    RETURN NULL;
END $$;

CREATE TRIGGER site_zones_on_zone_insert AFTER INSERT ON zones_zoneversion
    REFERENCING NEW TABLE AS new_versions FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_version_written();
CREATE TRIGGER site_zones_on_zone_update AFTER UPDATE ON zones_zoneversion
    REFERENCING NEW TABLE AS new_versions OLD TABLE AS old_versions
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_version_written();
CREATE TRIGGER site_zones_on_zone_delete AFTER DELETE ON zones_zoneversion
    REFERENCING OLD TABLE AS old_versions FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_version_written();

SELECT tracker_refresh_site_zones(NULL);
"""

UNDO_SITE_ZONES = """
DROP TRIGGER site_zones_on_insert ON tracker_site;
DROP TRIGGER site_zones_on_update ON tracker_site;
DROP TRIGGER site_zones_on_zone_insert ON zones_zoneversion;
DROP TRIGGER site_zones_on_zone_update ON zones_zoneversion;
DROP TRIGGER site_zones_on_zone_delete ON zones_zoneversion;
DROP FUNCTION tracker_zone_version_written();
DROP FUNCTION tracker_site_written();
DROP FUNCTION tracker_refresh_site_zones(bigint[]);
"""

# Every table an evaluation reads. Each write bumps its table's row to a fresh sequence value, in
# the writer's transaction: readers see the new value exactly when they can see the new data, and
# a value is never handed out twice, so a rolled-back write cannot make an old answer look current.
WATCHED = [
    "tracker_holding",
    "tracker_notification",
    "tracker_site",
    "tracker_sitezones",
    "tracker_ceiling",
    "tracker_treaty",
    "tracker_stateparty",
    "tracker_partygroup",
    "tracker_partygroup_members",
    "tracker_equipmentcategory",
    "tracker_inspection",
    "tracker_inspectionfinding",
    "tracker_observation",
    "zones_zone",
    "zones_zoneversion",
]

DATA_VERSION = (
    """
CREATE SEQUENCE tracker_data_version_seq;
CREATE TABLE tracker_dataversion (table_name text PRIMARY KEY, version bigint NOT NULL);
CREATE FUNCTION tracker_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_dataversion SET version = nextval('tracker_data_version_seq') WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END $$;
"""
    + "".join(
        f"""
INSERT INTO tracker_dataversion VALUES ('{table}', nextval('tracker_data_version_seq'));
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
"""
        for table in WATCHED
    )
)

UNDO_DATA_VERSION = (
    "".join(f"DROP TRIGGER data_version ON {table};\n" for table in WATCHED)
    + """
DROP FUNCTION tracker_bump_data_version();
DROP TABLE tracker_dataversion;
DROP SEQUENCE tracker_data_version_seq;
"""
)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_site_zones_and_compliance_runs"), ("zones", "0001_initial")]
    operations = [
        migrations.RunSQL(SITE_ZONES, UNDO_SITE_ZONES),
        migrations.RunSQL(DATA_VERSION, UNDO_DATA_VERSION),
    ]
