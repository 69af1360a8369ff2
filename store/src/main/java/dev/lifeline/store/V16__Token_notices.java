package dev.lifeline.store;

import java.util.List;

/**
 * On PostgreSQL, makes the database announce on {@link PostgresChannel#TOKENS}, on commit, the id of
 * each workspace whose tokens changed: a token minted or revoked, or the workspace removed (which
 * ends its token). Replicas keep token grants in memory and let them go on hearing it. H2 serves one
 * process and gets nothing.
 */
// Flyway reads the version and description from the class name.
final class V16__Token_notices extends PostgresOnlyMigration {
    private static final List<String> POSTGRES = List.of(
            """
            CREATE FUNCTION lifeline_token_notice() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                owner UUID;
            BEGIN
                IF TG_TABLE_NAME = 'workspaces' THEN
                    owner := NEW.id;
                ELSE
                    owner := NEW.workspace_id;
                END IF;
                PERFORM pg_notify('%s', COALESCE(current_setting('application_name', true), '') || E'\\n' || owner);
                RETURN NULL;
            END
            $$""".formatted(PostgresChannel.TOKENS),
            "CREATE TRIGGER workspace_tokens_notice AFTER INSERT OR UPDATE ON workspace_auth_tokens"
                    + " FOR EACH ROW EXECUTE FUNCTION lifeline_token_notice()",
            "CREATE TRIGGER workspace_removed_notice AFTER UPDATE OF status ON workspaces FOR EACH ROW"
                    + " WHEN (NEW.status = 'removed' AND OLD.status <> 'removed')"
                    + " EXECUTE FUNCTION lifeline_token_notice()");

    @Override
    List<String> statements() {
        return POSTGRES;
    }
}
