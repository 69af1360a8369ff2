package dev.lifeline.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's static files, read from the class path once and kept: its own scripts and styles
 * under {@code /ui/}, and the two libraries it uses (Pico CSS, Chart.js) under {@code /webjars/}.
 *
 * <p>Served here rather than by Javalin's static-file handler because that handler mounts the whole
 * jar as a zip file system for each location it serves (a few dozen megabytes of heap for an index
 * of the jar's entries, kept for the server's life) to answer a dozen small files. Only names made
 * of plain segments with a known extension are looked up, so no request reaches outside the two
 * folders, and only files that exist are kept, so the cache is bounded by what the jar holds there.
 */
final class DashboardAssets {
    private static final Pattern OWN_FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(?:js|css)");
    private static final Pattern LIBRARY_FILE =
            Pattern.compile("(?:chart\\.js|picocss__pico)(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)+\\.(?:js|css|map)");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json");

    /** A file's bytes and the tag a browser sends back to ask whether it changed. */
    private static final class Asset {
        final byte[] bytes;
        final String type;
        final String etag;

        Asset(byte[] bytes, String type, String etag) {
            this.bytes = bytes;
            this.type = type;
            this.etag = etag;
        }
    }

    private final String ownFolder;
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    /** @param ownFolder the class-path folder of the dashboard's own files, such as {@code /dashboard} */
    DashboardAssets(String ownFolder) {
        this.ownFolder = ownFolder;
    }

    /** {@code GET /ui/{file}}. */
    void own(Context ctx) {
        serve(ctx, ctx.pathParam("file"), OWN_FILE, ownFolder + "/");
    }

    /** {@code GET /webjars/<path>}. */
    void library(Context ctx) {
        serve(ctx, ctx.pathParam("path"), LIBRARY_FILE, "/META-INF/resources/webjars/");
    }

    /** The file at {@code name} in {@code folder}, when the name is one this server hands out. */
    private Optional<Asset> find(String name, Pattern allowed, String folder) {
        if (!allowed.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        String path = folder + name;
        @Nullable Asset known = loaded.get(path);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Asset> read = read(path, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        read.ifPresent(a -> loaded.put(path, a));
        return read;
    }

    private void serve(Context ctx, String name, Pattern allowed, String folder) {
        Optional<Asset> asset = find(name, allowed, folder);
        if (asset.isEmpty()) {
            ApiErrors.send(ctx, new ApiErrors.Answer(404, "no such file: " + ctx.path(), "the dashboard is at GET /"));
            return;
        }
        Asset a = asset.get();
        ctx.header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", DashboardRoutes.CONTENT_SECURITY_POLICY)
                .header("ETag", a.etag);
        if (ETags.matches(ctx.header("If-None-Match"), a.etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(a.type).result(a.bytes);
    }

    private static Optional<Asset> read(String path, @Nullable String type) {
        if (type == null) {
            return Optional.empty();
        }
        return bytes(path).map(bytes -> new Asset(bytes, type, ETags.of(bytes)));
    }

    /** The bytes of the class-path file at {@code path}, if the jar has it. */
    static Optional<byte[]> bytes(String path) {
        URL url = DashboardAssets.class.getResource(path);
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
