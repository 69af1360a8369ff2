package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.StoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
                .isEqualTo("jdbc:h2:file:/var/lib/lifeline/lifeline;AUTO_SERVER=FALSE;WRITE_DELAY=0");
    }
}
