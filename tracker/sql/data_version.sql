-- Every table an evaluation or its API answers read (the findings register's states and the ledger's
-- receipts among them) bumps its row of ``tracker_dataversion`` (tracker/answers.py) to
-- a fresh sequence value, in the writer's transaction: readers see the new value exactly when they
-- can see the new data, and a value is never handed out twice, so a rolled-back write cannot make
-- an old answer look current. Zone totals change only with the holdings and site zones they are
-- derived from; a rebuild that rewrites them alone bumps a row of their own (tracker/derived.py).

CREATE SEQUENCE IF NOT EXISTS tracker_data_version_seq;
CREATE TABLE IF NOT EXISTS tracker_dataversion (table_name text PRIMARY KEY, version bigint NOT NULL);

CREATE OR REPLACE FUNCTION tracker_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_dataversion SET version = nextval('tracker_data_version_seq') WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END $$;

-- A table a later migration creates is skipped here; that migration applies this file again.
DO $$
DECLARE
    watched text;
BEGIN
    FOREACH watched IN ARRAY ARRAY[
        'tracker_holding', 'tracker_notification', 'tracker_site', 'tracker_sitezones', 'tracker_ceiling',
        'tracker_ceiling_types', 'tracker_treaty', 'tracker_stateparty', 'tracker_partygroup',
        'tracker_partygroup_members', 'tracker_equipmentcategory', 'tracker_equipmenttype',
        'tracker_objectofverification', 'tracker_holiday', 'tracker_changethreshold', 'tracker_distancerule',
        'tracker_distancerule_types', 'tracker_inspection', 'tracker_inspectionfinding', 'tracker_observation',
        'tracker_inspectionrequest', 'tracker_passivequota', 'tracker_finding', 'tracker_concern',
        'tracker_concernstep', 'tracker_ledgerentry', 'tracker_treehead', 'tracker_receipt', 'tracker_signingkey',
        'zones_zone', 'zones_zoneversion', 'zones_contactline', 'zones_contactlineversion'
    ] LOOP
        CONTINUE WHEN to_regclass(watched) IS NULL;
        INSERT INTO tracker_dataversion (table_name, version) VALUES (watched, nextval('tracker_data_version_seq'))
        ON CONFLICT (table_name) DO NOTHING;
        EXECUTE format('CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version()', watched);
        -- Even where a bulk load sets the per-row triggers aside (session_replication_role = replica).
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER data_version', watched);
    END LOOP;
END $$;
