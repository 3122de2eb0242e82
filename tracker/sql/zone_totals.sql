-- Zone totals (``ZoneTotal``) follow every (holding, site zones) pair: a statement that writes
-- holdings adds its lines under their sites' current zone sets, one that writes site zones moves
-- the sites' current lines between zone sets. Both run as statement triggers over transition
-- tables, so an import of a million lines adds a few tens of thousands of summed rows in one go.
--
-- Each table has its own trigger function: it sums what the statement took away (old rows) and
-- put in (new rows) per zone set and key, one query per side because each transition table
-- exists only for the operations that have it. tracker_fold_zone_totals writes the sums.

-- A line of ``held`` items counts from ``starts`` until ``ends``: one line more on the first day,
-- one less on the second, taken ``direction`` (1 or -1) times. A line without a period, or of
-- nothing, counts nowhere. A line in storage counts as storage only while its site is a designated
-- permanent storage site (``storage_from`` to ``storage_to``, both inclusive); before and after
-- that, as storage outside one ('undesignated'), which counts as active (CFE Art. X.4).
CREATE OR REPLACE FUNCTION tracker_line_edges(direction integer, held integer, declared text, starts date, ends date,
                                              storage_from date, storage_to date)
RETURNS TABLE (status text, day date, quantity bigint, lines integer) LANGUAGE sql IMMUTABLE AS $$
    WITH bounds AS (
        SELECT starts AS from_day, coalesce(ends, 'infinity') AS to_day,
               coalesce(storage_from, 'infinity') AS storage_starts,
               CASE WHEN storage_from IS NULL THEN 'infinity' ELSE coalesce(storage_to + 1, 'infinity') END
                   AS storage_ends
    ), piece AS (
        SELECT declared AS status, from_day, to_day FROM bounds WHERE declared <> 'storage'
        UNION ALL
        SELECT p.* FROM bounds CROSS JOIN LATERAL (VALUES
            ('storage', greatest(from_day, storage_starts), least(to_day, storage_ends)),
            ('undesignated', from_day, least(to_day, storage_starts)),
            ('undesignated', greatest(from_day, storage_ends), to_day)
        ) AS p(status, from_day, to_day)
        WHERE declared = 'storage'
    )
    SELECT piece.status, edge.day, (direction * edge.sign * held)::bigint, direction * edge.sign
    FROM piece CROSS JOIN LATERAL (VALUES (piece.from_day, 1), (piece.to_day, -1)) AS edge(day, sign)
    WHERE starts IS NOT NULL AND held > 0 AND piece.from_day < piece.to_day AND edge.day <> 'infinity'
$$;

-- Adds ``changes`` (a JSON array of per zone set sums, as the trigger functions below build them)
-- to the zone totals, per zone version of each set. One writer at a time folds the rows already
-- kept for the keys it touches into its own; the others only append, never wait.
CREATE OR REPLACE FUNCTION tracker_fold_zone_totals(changes jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    folding boolean := pg_try_advisory_xact_lock(hashtext('tracker_zonetotal'));
BEGIN
    WITH changed AS (
        SELECT version.id AS zone_version_id, c.party_id, c.category_id, c.equipment_type_id, c.status,
               c.notification_id, c.day, c.quantity, c.lines
        FROM jsonb_to_recordset(changes) AS c(zone_set_id bigint, party_id bigint, category_id bigint,
                                              equipment_type_id bigint, status text, notification_id bigint,
                                              day date, quantity bigint, lines bigint)
        JOIN tracker_zoneset z ON z.id = c.zone_set_id
        CROSS JOIN LATERAL unnest(z.versions) AS version(id)
    ), kept AS (
        DELETE FROM tracker_zonetotal t USING (SELECT DISTINCT zone_version_id, party_id, category_id,
                                                      equipment_type_id, status, notification_id, day
                                               FROM changed) c
        WHERE folding AND (t.zone_version_id, t.party_id, t.category_id, t.status, t.notification_id, t.day)
                        = (c.zone_version_id, c.party_id, c.category_id, c.status, c.notification_id, c.day)
              AND t.equipment_type_id IS NOT DISTINCT FROM c.equipment_type_id
        RETURNING t.zone_version_id, t.party_id, t.category_id, t.equipment_type_id, t.status, t.notification_id,
                  t.day, t.quantity, t.lines
    )
    INSERT INTO tracker_zonetotal (zone_version_id, party_id, category_id, equipment_type_id, status, notification_id,
                                   day, quantity, lines)
    SELECT zone_version_id, party_id, category_id, equipment_type_id, status, notification_id, day,
           sum(quantity), sum(lines)
    FROM (SELECT * FROM changed UNION ALL SELECT * FROM kept) AS rows
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(quantity) <> 0 OR sum(lines) <> 0;
END $$;

CREATE OR REPLACE FUNCTION tracker_zone_totals_holdings_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb := '[]';
BEGIN
    -- A concurrent move of these sites to other zone sets waits for this transaction, or this
    -- one waits for it and then reads the sets it wrote: lines are never counted under a set
    -- their site has just left.
    IF TG_OP = 'DELETE' THEN
        PERFORM FROM tracker_sitezones WHERE site_id IN (SELECT site_id FROM old_rows) FOR SHARE;
    ELSE
        PERFORM FROM tracker_sitezones WHERE site_id IN (SELECT site_id FROM new_rows) FOR SHARE;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        changes := changes || (SELECT coalesce(jsonb_agg(c), '[]') FROM (
            SELECT m.zone_set_id, m.party_id, h.category_id, h.equipment_type_id, e.status, h.notification_id, e.day,
                   sum(e.quantity) AS quantity, sum(e.lines) AS lines
            FROM old_rows h JOIN tracker_sitezones m ON m.site_id = h.site_id JOIN tracker_site s ON s.id = h.site_id
            CROSS JOIN LATERAL tracker_line_edges(-1, h.quantity, h.status, h.effective_from, h.effective_to,
                                                  s.storage_from, s.storage_to) e
            GROUP BY 1, 2, 3, 4, 5, 6, 7) c);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        changes := changes || (SELECT coalesce(jsonb_agg(c), '[]') FROM (
            SELECT m.zone_set_id, m.party_id, h.category_id, h.equipment_type_id, e.status, h.notification_id, e.day,
                   sum(e.quantity) AS quantity, sum(e.lines) AS lines
            FROM new_rows h JOIN tracker_sitezones m ON m.site_id = h.site_id JOIN tracker_site s ON s.id = h.site_id
            CROSS JOIN LATERAL tracker_line_edges(1, h.quantity, h.status, h.effective_from, h.effective_to,
                                                  s.storage_from, s.storage_to) e
            GROUP BY 1, 2, 3, 4, 5, 6, 7) c);
    END IF;
    PERFORM tracker_fold_zone_totals(changes);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tracker_zone_totals_site_zones_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb := '[]';
BEGIN
    IF TG_OP <> 'INSERT' THEN
        changes := changes || (SELECT coalesce(jsonb_agg(c), '[]') FROM (
            SELECT m.zone_set_id, m.party_id, h.category_id, h.equipment_type_id, e.status, h.notification_id, e.day,
                   sum(e.quantity) AS quantity, sum(e.lines) AS lines
            FROM old_rows m JOIN tracker_holding h ON h.site_id = m.site_id JOIN tracker_site s ON s.id = m.site_id
            CROSS JOIN LATERAL tracker_line_edges(-1, h.quantity, h.status, h.effective_from, h.effective_to,
                                                  s.storage_from, s.storage_to) e
            GROUP BY 1, 2, 3, 4, 5, 6, 7) c);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        changes := changes || (SELECT coalesce(jsonb_agg(c), '[]') FROM (
            SELECT m.zone_set_id, m.party_id, h.category_id, h.equipment_type_id, e.status, h.notification_id, e.day,
                   sum(e.quantity) AS quantity, sum(e.lines) AS lines
            FROM new_rows m JOIN tracker_holding h ON h.site_id = m.site_id JOIN tracker_site s ON s.id = m.site_id
            CROSS JOIN LATERAL tracker_line_edges(1, h.quantity, h.status, h.effective_from, h.effective_to,
                                                  s.storage_from, s.storage_to) e
            GROUP BY 1, 2, 3, 4, 5, 6, 7) c);
    END IF;
    PERFORM tracker_fold_zone_totals(changes);
    RETURN NULL;
END $$;

-- A site designated as a permanent storage site (or no longer one, or over other dates): its
-- storage lines move between counting as storage and as storage outside one.
CREATE OR REPLACE FUNCTION tracker_zone_totals_storage_designated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb := '[]';
BEGIN
    changes := changes || (SELECT coalesce(jsonb_agg(c), '[]') FROM (
        SELECT m.zone_set_id, m.party_id, h.category_id, h.equipment_type_id, e.status, h.notification_id, e.day,
               sum(e.quantity) AS quantity, sum(e.lines) AS lines
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        JOIN tracker_sitezones m ON m.site_id = o.id
        JOIN tracker_holding h ON h.site_id = o.id AND h.status = 'storage'
        CROSS JOIN LATERAL (
            SELECT * FROM tracker_line_edges(-1, h.quantity, h.status, h.effective_from, h.effective_to,
                                             o.storage_from, o.storage_to)
            UNION ALL
            SELECT * FROM tracker_line_edges(1, h.quantity, h.status, h.effective_from, h.effective_to,
                                             n.storage_from, n.storage_to)
        ) e
        WHERE (o.storage_from, o.storage_to) IS DISTINCT FROM (n.storage_from, n.storage_to)
        GROUP BY 1, 2, 3, 4, 5, 6, 7) c);
    PERFORM tracker_fold_zone_totals(changes);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tracker_zone_totals_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- DELETE: a TRUNCATE here would fail when one TRUNCATE statement names both tables.
    DELETE FROM tracker_zonetotal;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER zone_totals_on_insert AFTER INSERT ON tracker_holding
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_holdings_written();
CREATE OR REPLACE TRIGGER zone_totals_on_update AFTER UPDATE ON tracker_holding
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_holdings_written();
CREATE OR REPLACE TRIGGER zone_totals_on_delete AFTER DELETE ON tracker_holding
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_holdings_written();
CREATE OR REPLACE TRIGGER zone_totals_on_truncate AFTER TRUNCATE ON tracker_holding
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_emptied();

CREATE OR REPLACE TRIGGER zone_totals_on_storage_designation AFTER UPDATE ON tracker_site
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_storage_designated();

CREATE OR REPLACE TRIGGER zone_totals_on_insert AFTER INSERT ON tracker_sitezones
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_site_zones_written();
CREATE OR REPLACE TRIGGER zone_totals_on_update AFTER UPDATE ON tracker_sitezones
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_site_zones_written();
CREATE OR REPLACE TRIGGER zone_totals_on_delete AFTER DELETE ON tracker_sitezones
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_site_zones_written();
CREATE OR REPLACE TRIGGER zone_totals_on_truncate AFTER TRUNCATE ON tracker_sitezones
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_zone_totals_emptied();
