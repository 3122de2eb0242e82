-- Which zone versions each site lies in (``SiteZones``, ``ZoneSet``: tracker/membership.py), worked
-- out when a site or a zone version is written, by statement-level triggers over transition tables:
-- set-based, so a COPY of a million sites costs one join, and no writer (admin, bundle loader, bulk
-- SQL) can forget it. Sites are summed per party and zone set (an integer) rather than per array of
-- versions: grouping a million holdings by an integer is several times faster than by an array.

CREATE OR REPLACE FUNCTION tracker_refresh_site_zones(site_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    many boolean;
BEGIN
    -- Every site (``site_ids`` NULL), or many of those there are: zone versions outer, sites through
    -- their spatial index inner. A few sites among many: zone versions outer, those sites inner.
    -- Either way each zone's geometry is prepared once by PostGIS and reused for every site it is
    -- tested against. Through the sites' index, a few sites would cost a read of every site already
    -- inside each zone's box, so loading sites a statement at a time would slow down with every site
    -- already there; without it, many sites would each be tested against every zone version.
    many := site_ids IS NULL OR cardinality(site_ids) * 4 > (SELECT reltuples FROM pg_class WHERE oid = 'tracker_site'::regclass);
    WITH scope AS MATERIALIZED (
        SELECT s.id, s.party_id, s.location FROM tracker_site s
        WHERE site_ids IS NULL OR s.id IN (SELECT unnest(site_ids))
    ), hits AS (
        SELECT s.id, array_agg(v.id ORDER BY v.id) AS versions
        FROM zones_zoneversion v
        JOIN tracker_site s ON ST_Intersects(v.geom, s.location)
        WHERE many AND (site_ids IS NULL OR s.id IN (SELECT id FROM scope))
        GROUP BY s.id
        UNION ALL
        SELECT inside.id, array_agg(v.id ORDER BY v.id)
        FROM zones_zoneversion v
        -- OFFSET 0 keeps the zone versions outer: flattened, the planner probes their index site by
        -- site, testing each site against geometries read and prepared anew, about half as fast.
        CROSS JOIN LATERAL (SELECT s.id FROM scope s WHERE ST_Intersects(v.geom, s.location) OFFSET 0) inside
        WHERE NOT many
        GROUP BY inside.id
    ), computed AS (
        SELECT scope.id, scope.party_id, coalesce(hits.versions, '{}') AS versions
        FROM scope LEFT JOIN hits ON hits.id = scope.id
    ), zone_sets AS (
        -- DO UPDATE (not DO NOTHING) so existing sets are returned too, even one a concurrent
        -- writer has just committed.
        INSERT INTO tracker_zoneset (versions) SELECT DISTINCT versions FROM computed
        ON CONFLICT (versions) DO UPDATE SET versions = EXCLUDED.versions
        RETURNING id, versions
    )
    INSERT INTO tracker_sitezones (site_id, party_id, zone_set_id)
    SELECT c.id, c.party_id, z.id FROM computed c JOIN zone_sets z ON z.versions = c.versions
    ON CONFLICT (site_id) DO UPDATE SET party_id = EXCLUDED.party_id, zone_set_id = EXCLUDED.zone_set_id
    WHERE (tracker_sitezones.party_id, tracker_sitezones.zone_set_id)
          IS DISTINCT FROM (EXCLUDED.party_id, EXCLUDED.zone_set_id);
END $$;

-- Sites inserted, or moved (location or party changed): those sites are recomputed.
CREATE OR REPLACE FUNCTION tracker_site_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tracker_refresh_site_zones(ARRAY(SELECT id FROM new_sites));
    ELSE
        PERFORM tracker_refresh_site_zones(ARRAY(
            SELECT n.id FROM new_sites n JOIN old_sites o ON o.id = n.id
            WHERE NOT ST_Equals(n.location, o.location) OR n.party_id <> o.party_id
        ));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER site_zones_on_insert AFTER INSERT ON tracker_site
    REFERENCING NEW TABLE AS new_sites FOR EACH STATEMENT EXECUTE FUNCTION tracker_site_written();
CREATE OR REPLACE TRIGGER site_zones_on_update AFTER UPDATE ON tracker_site
    REFERENCING NEW TABLE AS new_sites OLD TABLE AS old_sites
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_site_written();

-- A zone version written or removed: the sites it covered before or covers now are recomputed.
CREATE OR REPLACE FUNCTION tracker_zone_version_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        touched := ARRAY(SELECT m.site_id FROM tracker_sitezones m JOIN tracker_zoneset z ON z.id = m.zone_set_id
                         WHERE z.versions && ARRAY(SELECT id FROM old_versions));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        touched := coalesce(touched, '{}') || ARRAY(
            SELECT s.id FROM new_versions v JOIN tracker_site s ON ST_Intersects(v.geom, s.location));
    END IF;
    PERFORM tracker_refresh_site_zones(touched);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER site_zones_on_zone_insert AFTER INSERT ON zones_zoneversion
    REFERENCING NEW TABLE AS new_versions FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_version_written();
CREATE OR REPLACE TRIGGER site_zones_on_zone_update AFTER UPDATE ON zones_zoneversion
    REFERENCING NEW TABLE AS new_versions OLD TABLE AS old_versions
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_version_written();
CREATE OR REPLACE TRIGGER site_zones_on_zone_delete AFTER DELETE ON zones_zoneversion
    REFERENCING OLD TABLE AS old_versions FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_version_written();
