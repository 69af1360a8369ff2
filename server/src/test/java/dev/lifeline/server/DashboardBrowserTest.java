package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (Debian's Chromium through Playwright) against a real server with
 * real agents: a lead with two workers under it. Each test starts signed out in a fresh profile and
 * leaves every agent online. Screenshots go to {@code target/screenshots}. Skipped with the reason
 * when Chromium is absent, except under {@code CI=true}, where that is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Records each status the fleet shows for one workspace, and marks the document to see reloads. */
    private static final String RECORD_STATUSES = """
            id => {
              window.sameDocument = true;
              window.seen = [];
              const read = () => {
                const s = document.querySelector(`.fleet-table tr[data-id="${id}"] .status`)?.textContent;
                if (s && window.seen[window.seen.length - 1] !== s) window.seen.push(s);
              };
              read();
              new MutationObserver(read).observe(document.getElementById('fleet'),
                  {subtree: true, childList: true, characterData: true});
            }""";

    @TempDir
    static Path dataDir;

    private TestServer server;
    private Chromium chromium;
    private String lead;
    private String worker1;
    private String worker2;

    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startServerAgentsAndBrowser() {
        Optional<String> missing = Chromium.missing();
        if (missing.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("browser tests cannot run under CI=true: " + missing.get());
            }
            System.err.println("DashboardBrowserTest skipped: " + missing.get());
            return;
        }
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        server = TestServer.start(dataDir);
        lead = server.create("lead", "echo", "process");
        worker1 = createChild("worker-1", lead);
        worker2 = createChild("worker-2", lead);
        await().atMost(BOOT).until(() -> List.of(lead, worker1, worker2).stream()
                .allMatch(id -> server.status(id).equals("online")));
        chromium = Chromium.launch();
    }

    private String createChild(String name, String parent) {
        return server.api
                .post("/workspaces", Map.of("name", name, "runtime", "echo", "parent_id", parent))
                .json()
                .get("id")
                .asText();
    }

    @AfterAll
    void stopEverything() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.api.delete("/workspaces/" + lead + "?confirm=true");
            server.close();
        }
    }

    @BeforeEach
    void openAFreshProfile() {
        Assumptions.assumeTrue(chromium != null, () -> Chromium.missing().orElse("the browser did not start"));
        context = chromium.newContext(server.url());
        page = context.newPage();
        page.onPageError(pageErrors::add);
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) {
                pageErrors.add(m.text());
            }
        });
    }

    @AfterEach
    void screenshotAndClose(TestInfo test) {
        if (page == null) {
            return;
        }
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"))
                .setFullPage(true));
        context.close();
        assertThat(pageErrors)
                .as("script errors and CSP violations on the page")
                .isEmpty();
    }

    private static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    private void signIn() {
        page.navigate("/");
        page.getByLabel("Admin token").fill(TestServer.ADMIN_TOKEN);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        expect(page.locator("#connection")).hasText("live");
    }

    private Optional<Cookie> sessionCookie() {
        return context.cookies().stream()
                .filter(c -> c.name.equals(BrowserSessions.COOKIE))
                .findFirst();
    }

    private Locator row(String id) {
        return page.locator(".fleet-table tr[data-id='" + id + "']");
    }

    private void open(String id) {
        row(id).click();
        expect(page.locator("#workspace-view")).hasAttribute("data-id", id);
        expect(page.locator("#workspace-status .status")).not().hasText("");
    }

    private void send(String message) {
        page.getByLabel("Message").fill(message);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send"))
                .click();
    }

    private Locator button(String name) {
        return page.locator("#workspace-view").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name));
    }

    @Test
    void aWrongTokenIsRefusedWithAClearMessageAndSetsNoCookie() {
        page.navigate("/");
        page.getByLabel("Admin token").fill("not-the-admin-token");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();

        expect(page.locator("#sign-in-error")).hasText("That is not the admin token of this server.");
        expect(page.locator("#app")).isHidden();
        assertThat(sessionCookie()).isEmpty();
        assertThat(page.request().get("/workspaces").status()).isEqualTo(401);
    }

    @Test
    void signingInShowsTheFleetInItsHierarchyWithAnHttpOnlyStrictExpiringCookieAndNoTokenInThePage() {
        signIn();

        expect(row(lead).locator(".status")).hasText("online");
        expect(row(worker1).locator(".status")).hasText("online");
        assertThat(row(lead).getAttribute("data-depth")).isEqualTo("0");
        assertThat(row(worker1).getAttribute("data-depth")).isEqualTo("1");
        assertThat(row(worker2).getAttribute("data-depth")).isEqualTo("1");
        assertThat(page.locator(".fleet-table tbody tr").allInnerTexts())
                .extracting(text -> text.replace("└", "").trim().split("\\s+")[0])
                .containsSubsequence("lead", "worker-1", "worker-2");
        expect(row(lead)).containsText("echo");
        expect(row(lead)).containsText("process");
        Cookie cookie = sessionCookie().orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite).isEqualTo(SameSiteAttribute.STRICT);
        assertThat(Instant.ofEpochSecond((long) cookie.expires.doubleValue()))
                .isBetween(
                        Instant.now().plus(Duration.ofHours(11)), Instant.now().plus(Duration.ofHours(13)));
        assertThat(page.evaluate("document.cookie")).isEqualTo("");
        assertThat(page.content()).doesNotContain(TestServer.ADMIN_TOKEN);
        assertThat(page.url()).doesNotContain(TestServer.ADMIN_TOKEN);
    }

    @Test
    void theStatusFilterShowsOnlyWorkspacesInThatStatus() {
        signIn();
        expect(row(worker2)).isVisible();

        page.locator("#status-filter").selectOption("offline");
        expect(page.locator(".fleet-table tbody tr")).hasCount(0);
        page.locator("#status-filter").selectOption("online");

        expect(row(lead)).isVisible();
        expect(row(worker2)).isVisible();
    }

    @Test
    void signingOutEndsTheSession() {
        signIn();

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                .click();

        expect(page.locator("#sign-in")).isVisible();
        assertThat(sessionCookie()).isEmpty();
        assertThat(page.request().get("/workspaces").status()).isEqualTo(401);
    }

    @Test
    void aSigkilledAgentTurnsOfflineAndBackOnlineOnTheOpenPageWithoutAReload() {
        signIn();
        open(worker2);
        expect(page.locator("#timeline-summary")).containsText("No deaths");
        page.evaluate(RECORD_STATUSES, worker2);
        long pid = DemoCommand.pid(server.api
                .get("/workspaces/" + worker2)
                .json()
                .get("instance_ref")
                .asText());

        ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
        agent.destroyForcibly();
        agent.onExit().join();

        await().pollInSameThread().atMost(BOOT).untilAsserted(() -> assertThat(seenStatuses())
                .containsSubsequence("online", "offline", "online"));
        assertThat(page.evaluate("window.sameDocument")).isEqualTo(true);
        expect(page.locator("#timeline-summary")).containsText(Pattern.compile("Died at .*; back online .* later"));
        expect(page.locator("#events tr[data-event='WORKSPACE_OFFLINE']")).hasCount(1);
        expect(page.locator("[data-metric='detections'] .value")).hasText(Pattern.compile("[1-9]"));
        expect(page.locator("[data-metric='restarts'] .note")).containsText("automatic");
        expect(page.locator("[data-metric='recovery'] .value")).hasText(Pattern.compile("\\d"));
        send("welcome back");
        expect(page.locator(".bubble.agent").last()).hasText("echo: welcome back");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("fleet-and-workspace.png")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBrowserAcceptsTheLiveFeedsCompressionAndReadsItsEvents() {
        signIn();

        Map<String, Object> first = (Map<String, Object>) page.evaluate("""
                () => new Promise((resolve, reject) => {
                  const socket = new WebSocket(`ws://${location.host}/ws`);
                  socket.onmessage = m => {
                    resolve({extensions: socket.extensions, event: JSON.parse(m.data).event});
                    socket.close();
                  };
                  socket.onerror = () => reject(new Error('the feed did not open'));
                })""");

        assertThat(first).containsEntry("extensions", "permessage-deflate; server_no_context_takeover");
        assertThat((String) first.get("event")).as("an event the page parsed").matches("[A-Z_]+");
    }

    @SuppressWarnings("unchecked")
    private List<String> seenStatuses() {
        return (List<String>) page.evaluate("window.seen");
    }

    @Test
    void aChatMessageComesBackStreamedPieceByPiece() {
        signIn();
        open(lead);
        Locator answer = page.locator(".bubble.agent").last();

        send("!stream-gaps 3 1");

        expect(answer).hasAttribute("data-state", "streaming");
        expect(answer).hasAttribute("data-state", "done");
        expect(answer).hasText("echo: !stream-gaps 3 1");
        assertThat(answer.getAttribute("data-chunks")).isEqualTo("3");
    }

    @Test
    void aRestartingWorkspaceIsShownAsRestartingAndTheMessageIsSentAgainAfterRetryAfter() {
        signIn();
        open(lead);
        AtomicInteger calls = new AtomicInteger();
        page.route("**/workspaces/*/a2a", route -> {
            if (calls.getAndIncrement() > 0) {
                route.resume();
                return;
            }
            route.fulfill(new Route.FulfillOptions()
                    .setStatus(503)
                    .setHeaders(Map.of("Retry-After", "2", "Content-Type", "application/json"))
                    .setBody(Json.write(Map.of(
                            "error",
                            "workspace agent unreachable — restart in progress, retry shortly",
                            "restarting",
                            true,
                            "retry_after",
                            2))));
        });
        Locator answer = page.locator(".bubble.agent").last();

        send("are you back?");

        expect(answer).hasText("restarting, retrying in 2 s…");
        expect(answer).hasText("echo: are you back?");
        assertThat(calls).hasValue(2);
    }

    @Test
    void restartAndPauseActOnTheWorkspace() {
        signIn();
        open(worker1);
        Locator meta = page.locator("#workspace-meta");
        long generation = Long.parseLong(meta.getAttribute("data-generation"));
        Locator status = page.locator("#workspace-status .status");

        button("Restart").click();
        expect(meta).hasAttribute("data-generation", String.valueOf(generation + 1));
        expect(status).hasText("online");

        button("Pause").click();
        expect(status).hasText("paused");
        expect(row(worker1).locator(".status")).hasText("paused");

        button("Resume").click();
        expect(status).hasText("online");
        expect(row(worker1).locator(".status")).hasText("online");
    }

    @Test
    void deletingAParentAsksToConfirmTheCascadeAndThenRemovesItsChildren() {
        String parent = server.api
                .post("/workspaces", Map.of("name", "ext-parent", "external", true))
                .json()
                .get("id")
                .asText();
        String child = server.api
                .post("/workspaces", Map.of("name", "ext-child", "external", true, "parent_id", parent))
                .json()
                .get("id")
                .asText();
        signIn();
        open(parent);

        button("Delete").click();
        Locator dialog = page.locator("#confirm");
        expect(dialog).isVisible();
        expect(dialog).containsText("1 child workspace");
        expect(dialog).containsText("ext-child");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove"))
                .click();

        expect(row(parent)).hasCount(0);
        expect(row(child)).hasCount(0);
        expect(page.locator("#workspace-view")).hasCount(0);
        assertThat(server.api.get("/workspaces/" + child).status()).isEqualTo(404);
    }
}
