package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What owns the public port ({@code LIFELINE_EDGE}) and the edge's threads: keys, defaults, checks. */
class EdgeSettingsTest {

    @Test
    void byDefaultTheNettyEdgeOwnsThePublicPortWithAThreadPerProcessor() {
        LifelineConfig config = LifelineConfig.from(Map.of());

        assertThat(config.frontDoor()).isEqualTo(FrontDoor.NETTY);
        assertThat(config.edgeThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void jettyCanOwnThePublicPortAsItselfAndTheThreadsAreSet() {
        LifelineConfig config = LifelineConfig.from(Map.of("LIFELINE_EDGE", "jetty", "LIFELINE_EDGE_THREADS", "3"));

        assertThat(config.frontDoor()).isEqualTo(FrontDoor.JETTY);
        assertThat(config.edgeThreads()).isEqualTo(3);
    }

    @Test
    void anUnknownEdgeIsRefusedByNameWithTheChoices() {
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_EDGE", "nginx")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LIFELINE_EDGE=nginx is not supported; use one of netty, jetty");
    }

    @Test
    void edgeThreadsThatAreNotPositiveAreRefusedByName() {
        assertThatThrownBy(() -> LifelineConfig.from(Map.of("LIFELINE_EDGE_THREADS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LIFELINE_EDGE_THREADS");
    }

    @Test
    void onTheJettyEdgeJavalinListensOnThePublicPortItself(@TempDir Path dataDir) {
        try (TestServer server = TestServer.start(dataDir, Map.of("LIFELINE_EDGE", "jetty"))) {
            ServerConnector jetty = (ServerConnector) server.server.jetty().getConnectors()[0];

            assertThat(jetty.getLocalPort()).isEqualTo(server.server.port());
            assertThat(server.api.get("/health").status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(FrontDoor.class)
    void aPublicPortThatIsTakenFailsTheStartBeforeTheDataDirectoryIsTouched(FrontDoor door, @TempDir Path root)
            throws IOException {
        Path dataDir = root.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = Map.of(
                    "LIFELINE_EDGE", door.name().toLowerCase(Locale.ROOT),
                    "LIFELINE_BIND", "127.0.0.1",
                    "LIFELINE_PORT", String.valueOf(taken.getLocalPort()),
                    "LIFELINE_DATA_DIR", dataDir.toString());

            assertThatThrownBy(() -> LifelineServer.start(LifelineConfig.from(env), env))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(dataDir).doesNotExist();
    }
}
