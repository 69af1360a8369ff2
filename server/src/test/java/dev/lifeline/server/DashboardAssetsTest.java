package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's static files ({@link DashboardAssets}): what is served, how, and what is not. */
class DashboardAssetsTest {
    @TempDir
    Path dataDir;

    private TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The paths of the page's own scripts, styles and libraries, as its HTML names them. */
    private List<String> pageAssets() throws Exception {
        Matcher m = Pattern.compile("(?:href|src)=\"(/(?:ui|webjars)/[^\"]+)\"")
                .matcher(get("/", Map.of()).body());
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void everyFileThePageNamesIsServedWithItsTypeAndTheDashboardsHeaders() throws Exception {
        List<String> assets = pageAssets();
        assertThat(assets).hasSize(4).anyMatch(p -> p.startsWith("/webjars/picocss__pico/"));

        for (String path : assets) {
            HttpResponse<String> reply = get(path, Map.of());
            assertThat(reply.statusCode()).as(path).isEqualTo(200);
            assertThat(reply.body()).as(path).isNotEmpty();
            assertThat(reply.headers().firstValue("Content-Type").orElseThrow())
                    .as(path)
                    .startsWith(path.endsWith(".css") ? "text/css" : "text/javascript");
            assertThat(reply.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(reply.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(reply.headers().firstValue("Content-Security-Policy"))
                    .hasValue(DashboardRoutes.CONTENT_SECURITY_POLICY);
        }
    }

    @Test
    void aScriptsModulesAreServedBesideIt() throws Exception {
        HttpResponse<String> reply = get("/ui/dom.js", Map.of());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("export");
    }

    @Test
    void aBrowserThatHasTheCurrentFileIsToldItIsUnchanged() throws Exception {
        String etag = get("/ui/app.js", Map.of()).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("/ui/app.js", Map.of("If-None-Match", etag));
        HttpResponse<String> stale = get("/ui/app.js", Map.of("If-None-Match", "\"something-else\""));

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/ui/missing.js",
                "/ui/index.html",
                "/ui/..%2Flogback.xml",
                "/ui/%2E%2E%2Flogback.xml",
                "/webjars/picocss__pico/../../../../logback.xml",
                "/webjars/picocss__pico/%2E%2E/%2E%2E/%2E%2E/%2E%2E/logback.xml",
                "/webjars/other-library/1.0/x.js",
                "/webjars/chart.js/package.json",
                "/webjars/chart.js/../../../../dev/lifeline/server/Main.class"
            })
    void anythingElseIsRefusedWithAJsonBody(String path) throws Exception {
        HttpResponse<String> reply = get(path, Map.of());

        // 404, or 400 where the path climbs above the root and is refused before any route
        assertThat(reply.statusCode()).as(path).isIn(400, 404);
        assertThat(reply.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(reply.body()).contains("\"error\"").doesNotContain("<configuration", "cafebabe");
    }
}
