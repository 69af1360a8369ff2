package dev.lifeline.store;

import static dev.lifeline.core.WorkspaceStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on H2, plus what only the embedded database does. */
class H2WorkspaceStoreTest extends WorkspaceStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected Database emptyDatabase() {
        return new Database("jdbc:h2:mem:contract-" + DATABASES.incrementAndGet(), null, null);
    }

    @Test
    void aFileDatabaseKeepsItsWorkspacesAcrossRestarts(@TempDir Path dataDir) {
        String url = Stores.embeddedUrl(dataDir);
        Workspace created;
        try (JdbcStore first = Stores.open(url, null, null)) {
            WorkspaceId id = WorkspaceId.random();
            created = first.create(newWorkspace(id), provisioning(id), T0);
        }

        try (JdbcStore second = Stores.open(url, null, null)) {
            assertThat(second.find(created.id())).contains(created);
            assertThat(second.recentEvents(created.id(), 10)).hasSize(1);
        }
        assertThat(dataDir.resolve("lifeline.mv.db")).exists();
    }

    @Test
    void closingAnInMemoryStoreDropsItsDatabase() {
        try (JdbcStore first = Stores.inMemoryH2("dropped-on-close")) {
            WorkspaceId id = WorkspaceId.random();
            first.create(newWorkspace(id), provisioning(id), T0);
        }

        try (JdbcStore second = Stores.inMemoryH2("dropped-on-close")) {
            assertThat(second.list()).isEmpty();
        }
    }

    private static NewWorkspace newWorkspace(WorkspaceId id) {
        return new NewWorkspace(id, "alpha", null, 1, "echo", "process", ONLINE, null, null, null);
    }

    private static WorkspaceEvent provisioning(WorkspaceId id) {
        return new WorkspaceEvent.Provisioning(id, "alpha", 1, "echo");
    }
}
