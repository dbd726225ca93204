"""The access log is append-only: the database refuses to change or delete its rows, whoever asks, but for the
retention purge, which goes through `gru_access_purge(cutoff)`.

That function runs with the rights of the table's owner (SECURITY DEFINER) and deletes only rows older than a month;
the trigger lets a deletion through only when the owner deletes while the function says it is purging. An application
connecting with a role that does not own the tables (docs/DEPLOYMENT.md) can thus add rows and purge old ones, and
nothing else, not even from `manage.py dbshell`. TRUNCATE is left to the owner (Django's test flush uses it), and the
runtime role is not granted it."""

from django.db import migrations

FORWARDS = """
CREATE FUNCTION gru_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('gru.access_purge', true) = 'on'
        AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % refused.', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER gru_access_append_only BEFORE UPDATE OR DELETE ON gru_access
    FOR EACH ROW EXECUTE FUNCTION gru_access_append_only();

CREATE FUNCTION gru_access_purge(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    purged bigint;
BEGIN
    IF cutoff > now() - interval '1 month' THEN
        RAISE EXCEPTION 'The access log keeps its last month: purge before % refused.', cutoff
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('gru.access_purge', 'on', true);
    DELETE FROM gru_access WHERE at < cutoff;
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('gru.access_purge', 'off', true);
    RETURN purged;
END
$$;
"""

BACKWARDS = """
DROP FUNCTION gru_access_purge(timestamptz);
DROP TRIGGER gru_access_append_only ON gru_access;
DROP FUNCTION gru_access_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("gru", "0005_access_log")]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]
