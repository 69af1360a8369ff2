package dev.lifeline.store;

import java.util.List;

/**
 * On PostgreSQL, makes the database announce what replicas must hear from each other, in the
 * transaction that writes it (so only on commit, in commit order): each inserted event on {@link
 * PostgresChannel#EVENTS}, stamped with the writer's {@code application_name}, and the id of each
 * written workspace row on {@link PostgresChannel#ROWS}. An event whose notice would pass NOTIFY's
 * 8000-byte limit is announced without its payload, which the listeners read from the table. H2
 * serves one process and gets nothing.
 */
// Flyway reads the version and description from the class name.
final class V10__Cluster_notices extends PostgresOnlyMigration {
    private static final List<String> POSTGRES = List.of(
            "ALTER TABLE structure_events ADD COLUMN origin VARCHAR NOT NULL DEFAULT ''",
            """
            CREATE FUNCTION lifeline_event_notice() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                header TEXT;
            BEGIN
                NEW.origin := COALESCE(current_setting('application_name', true), '');
                header := NEW.origin || E'\\n' || NEW.id || E'\\n' || NEW.event_type || E'\\n'
                    || NEW.workspace_id || E'\\n'
                    || floor(extract(epoch FROM NEW.created_at) * 1000000)::bigint || E'\\n';
                IF octet_length(header) + octet_length(NEW.payload) <= %d THEN
                    PERFORM pg_notify('%s', header || NEW.payload);
                ELSE
                    PERFORM pg_notify('%s', header);
                END IF;
                RETURN NEW;
            END
            $$""".formatted(PostgresChannel.NOTICE_BYTES, PostgresChannel.EVENTS, PostgresChannel.EVENTS),
            "CREATE TRIGGER structure_events_notice BEFORE INSERT ON structure_events"
                    + " FOR EACH ROW EXECUTE FUNCTION lifeline_event_notice()",
            """
            CREATE FUNCTION lifeline_row_notice() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                row_id UUID;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    row_id := OLD.id;
                ELSE
                    row_id := NEW.id;
                END IF;
                PERFORM pg_notify('%s', COALESCE(current_setting('application_name', true), '') || E'\\n' || row_id);
                RETURN NULL;
            END
            $$""".formatted(PostgresChannel.ROWS),
            "CREATE TRIGGER workspaces_notice AFTER INSERT OR UPDATE OR DELETE ON workspaces"
                    + " FOR EACH ROW EXECUTE FUNCTION lifeline_row_notice()");

    @Override
    List<String> statements() {
        return POSTGRES;
    }
}
