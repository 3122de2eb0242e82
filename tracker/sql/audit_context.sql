-- Who made a change, and from which page, is kept in pghistory_context: one row per request,
-- written by the request's own transaction (pghistory upserts it as the request's events are
-- recorded). Once that transaction has ended the row is evidence like the events that point to
-- it: a later transaction may not rewrite it, except a session of the database's owner (a
-- migration or a repair by hand). NOW() is the transaction's start, the time the row was created
-- with, so a row whose created_at differs was written by another transaction.
CREATE OR REPLACE FUNCTION tracker_freeze_audit_context() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF OLD.created_at = NOW()
       OR pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the context of audit events recorded at % cannot be changed afterwards', OLD.created_at
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE TRIGGER freeze_audit_context BEFORE UPDATE ON pghistory_context
    FOR EACH ROW EXECUTE FUNCTION tracker_freeze_audit_context();
