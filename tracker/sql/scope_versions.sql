-- Finer rows of ``tracker_dataversion`` (tracker/answers.py) for the tables every submission writes:
-- 'party <id>' moves with each write of a party's notifications, lines or objects of verification, and
-- 'zone <id>' with each change of what is held in a zone (its zone totals, tracker/sql/zone_totals.sql),
-- and 'party <id>' with it for the party whose totals changed.
-- An answer about one party, or one zone, is kept against its own row and the table rows of everything
-- else, so a notification of one party leaves the answers about the others and the zones it does not
-- touch as they were. Values come from the same sequence as the table rows, in the writer's transaction.
-- A line belongs to the party of its notification, its site and its object (the same one, as
-- notifications are checked); all three are bumped, so no answer rests on that check. Kept answers are
-- kept against these rows and never against the table rows of those tables (tracker/answers.py
-- ``kept_version``), which every write bumps, drafts included: a draft leaves every kept answer current.
-- Truncating one of these tables writes no row's party or zone: it bumps 'scoped_tables', a row every
-- scoped answer is kept against too.

CREATE OR REPLACE FUNCTION tracker_bump_scopes(scopes text[]) RETURNS void LANGUAGE sql AS $$
    -- In name order: two writers bumping the same scopes take their row locks in the same order. A row
    -- already there draws its value once locked, so it grows in the order its writers commit.
    INSERT INTO tracker_dataversion (table_name, version)
    SELECT scope, nextval('tracker_data_version_seq') FROM (SELECT DISTINCT unnest(scopes) AS scope ORDER BY 1) s
    WHERE scope IS NOT NULL
    ON CONFLICT (table_name) DO UPDATE SET version = nextval('tracker_data_version_seq')
$$;

-- A query for the scopes the rows of transition table ``rows`` of table ``tab`` belong to. Transition
-- tables are visible to their trigger function only, which runs it. A draft and its lines are its party's
-- own and no kept answer reads them (its lines have no period, so they count nowhere): writing them
-- bumps no scope. A line whose notification is gone counts as no draft's.
CREATE OR REPLACE FUNCTION tracker_scopes_sql(tab text, rows text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        -- Set-wise, as a bulk load writes a million lines in a few statements.
        WHEN tab = 'tracker_holding' THEN format($q$
            WITH live AS MATERIALIZED (
                SELECT r.notification_id, r.site_id, r.object_of_verification_id FROM %I r
                LEFT JOIN tracker_notification n ON n.id = r.notification_id WHERE n.status IS DISTINCT FROM 'draft'
            )
            SELECT array_agg(DISTINCT 'party ' || x.party_id) FROM (
                SELECT party_id FROM tracker_notification WHERE id IN (SELECT notification_id FROM live)
                UNION SELECT party_id FROM tracker_site WHERE id IN (SELECT site_id FROM live)
                UNION SELECT party_id FROM tracker_objectofverification
                WHERE id IN (SELECT object_of_verification_id FROM live)
            ) x
            $q$, rows)
        -- The zone's and the party's: a party's rows of the zone totals are an answer about that party too
        -- (tracker/compliance/cached.py), which a rebuild of the totals alone must make again.
        WHEN tab = 'tracker_zonetotal' THEN format($q$
            SELECT array_agg(DISTINCT x.scope) FROM (
                SELECT 'zone ' || v.zone_id AS scope FROM %1$I r JOIN zones_zoneversion v ON v.id = r.zone_version_id
                UNION SELECT 'party ' || r.party_id FROM %1$I r
            ) x
            $q$, rows)
        WHEN tab = 'tracker_notification' THEN format(
            'SELECT array_agg(DISTINCT ''party '' || party_id) FROM %I WHERE status <> ''draft''', rows)
        ELSE format('SELECT array_agg(DISTINCT ''party '' || party_id) FROM %I', rows)
    END
$$;

CREATE OR REPLACE FUNCTION tracker_scope_rows_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found text[];
BEGIN
    -- Each transition table exists only for the operations that have it.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE tracker_scopes_sql(TG_TABLE_NAME, 'new_rows') INTO found;
        PERFORM tracker_bump_scopes(found);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE tracker_scopes_sql(TG_TABLE_NAME, 'old_rows') INTO found;
        PERFORM tracker_bump_scopes(found);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tracker_scoped_table_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tracker_bump_scopes(ARRAY['scoped_tables']);
    RETURN NULL;
END $$;

INSERT INTO tracker_dataversion (table_name, version) VALUES ('scoped_tables', nextval('tracker_data_version_seq'))
ON CONFLICT (table_name) DO NOTHING;

DO $$
DECLARE
    scoped text;
BEGIN
    FOREACH scoped IN ARRAY ARRAY[
        'tracker_holding', 'tracker_notification', 'tracker_objectofverification', 'tracker_zonetotal'
    ] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER scope_versions_on_insert AFTER INSERT ON %I '
                       'REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tracker_scope_rows_written()', scoped);
        EXECUTE format('CREATE OR REPLACE TRIGGER scope_versions_on_update AFTER UPDATE ON %I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tracker_scope_rows_written()', scoped);
        EXECUTE format('CREATE OR REPLACE TRIGGER scope_versions_on_delete AFTER DELETE ON %I '
                       'REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tracker_scope_rows_written()', scoped);
        EXECUTE format('CREATE OR REPLACE TRIGGER scope_versions_on_truncate AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tracker_scoped_table_emptied()', scoped);
        -- Even where a bulk load sets the per-row triggers aside (session_replication_role = replica).
        EXECUTE format('ALTER TABLE %1$I ENABLE ALWAYS TRIGGER scope_versions_on_insert, '
                       'ENABLE ALWAYS TRIGGER scope_versions_on_update, ENABLE ALWAYS TRIGGER scope_versions_on_delete, '
                       'ENABLE ALWAYS TRIGGER scope_versions_on_truncate', scoped);
    END LOOP;
END $$;
