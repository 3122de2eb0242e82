-- Every table an evaluation reads bumps its row of ``tracker_dataversion`` (tracker/answers.py) to
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

INSERT INTO tracker_dataversion (table_name, version)
SELECT watched, nextval('tracker_data_version_seq') FROM unnest(ARRAY[
    'tracker_holding', 'tracker_notification', 'tracker_site', 'tracker_sitezones', 'tracker_ceiling',
    'tracker_treaty', 'tracker_stateparty', 'tracker_partygroup', 'tracker_partygroup_members',
    'tracker_equipmentcategory', 'tracker_inspection', 'tracker_inspectionfinding', 'tracker_observation',
    'zones_zone', 'zones_zoneversion'
]) AS watched
ON CONFLICT (table_name) DO NOTHING;

CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_holding
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_notification
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_site
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_sitezones
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_ceiling
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_treaty
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_stateparty
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_partygroup
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_partygroup_members
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_equipmentcategory
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_inspection
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_inspectionfinding
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracker_observation
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones_zone
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones_zoneversion
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_bump_data_version();
