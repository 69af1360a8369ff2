package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {

    @Test
    void anUnreachableDatabaseFailsWithAStoreExceptionThatHidesTheCredentials() {
        assertThatThrownBy(() -> Stores.open("jdbc:postgresql://127.0.0.1:1/lifeline", "lifeline", "s3cret-pw"))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not connect to the workspace database")
                .satisfies(e -> assertThat(e.getCause().toString()).doesNotContain("s3cret-pw"));
    }

    @Test
    void anInMemoryDatabaseNameCannotCarryUrlSettings() {
        assertThatThrownBy(() -> Stores.inMemoryH2("x;INIT=RUNSCRIPT FROM 'evil.sql'"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEmbeddedDatabaseIsAnExclusiveWriteThroughH2FileInTheDataDirectory() {
        assertThat(Stores.embeddedUrl(Path.of("/var/lib/lifeline")))
                .isEqualTo("jdbc:h2:file:/var/lib/lifeline/lifeline;AUTO_SERVER=FALSE;WRITE_DELAY=0;CACHE_SIZE=4096");
    }

    @Test
    void theEmbeddedDatabaseKeepsAPageCacheOfFourMebibytesNotH2sDefaultSixteen(@TempDir Path dataDir)
            throws SQLException {
        String url = Stores.embeddedUrl(dataDir);
        try (JdbcStore store = Stores.open(url, null, null);
                Connection c = DriverManager.getConnection(url);
                ResultSet r = c.createStatement()
                        .executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                                + " WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            assertThat(store.list()).isEmpty();
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("4"); // MiB
        }
    }
}
