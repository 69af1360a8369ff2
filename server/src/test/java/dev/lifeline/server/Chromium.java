package dev.lifeline.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's Chromium ({@code apt-get install chromium}, which {@code .ci/run} does), driven by
 * Playwright. Playwright never downloads a browser of its own here: there is no network for it.
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final List<String> ARGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Why the browser cannot run here, if it cannot. */
    static Optional<String> missing() {
        return Files.isExecutable(EXECUTABLE)
                ? Optional.empty()
                : Optional.of(EXECUTABLE + " is absent: install Debian's chromium (apt-get install -y chromium)");
    }

    static Chromium launch() {
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright
                    .chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(EXECUTABLE)
                            .setHeadless(true)
                            .setArgs(ARGS));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh profile (no cookies) whose relative URLs resolve against {@code baseUrl}. */
    BrowserContext newContext(String baseUrl) {
        return browser.newContext(
                new Browser.NewContextOptions().setBaseURL(baseUrl).setViewportSize(1500, 1000));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
