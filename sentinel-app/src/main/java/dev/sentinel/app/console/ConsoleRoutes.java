package dev.sentinel.app.console;

import dev.sentinel.app.http.Refusals;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the admin console, built into the jar under a classpath folder, at
 * {@value #CONTEXT}: a single-page application, so a path without a file extension (a deep
 * link such as {@code /admin/ui/bindings}) gets {@code index.html}, while a missing file
 * with an extension is a 404 rather than a page that would be parsed as a script.
 *
 * <p>Files under {@code assets/} carry a content hash in their names and are cached for a
 * year as immutable; everything else (the page itself) must be revalidated, so a new
 * release is picked up at once. Files are read from the classpath on first use and kept in
 * memory: the set is fixed by the build and small.
 *
 * <p>Thread-safe.
 */
public final class ConsoleRoutes {

    /** Where the console is served. */
    public static final String CONTEXT = "/admin/ui";
    /** The classpath folder the build puts the console in. */
    public static final String CLASSPATH_ROOT = "web/admin/ui";

    private static final String INDEX = "index.html";
    private static final String HASHED_ASSETS = "assets/";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";
    // Element Plus positions popups with inline style attributes; scripts stay same-origin.
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; "
            + "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"));

    private final ClassLoader classLoader;
    private final String root;
    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    private ConsoleRoutes(ClassLoader classLoader, String root) {
        this.classLoader = classLoader;
        this.root = root;
    }

    /** Returns the console as the build packaged it, from this class's class loader. */
    public static ConsoleRoutes fromClasspath() {
        return fromClasspath(ConsoleRoutes.class.getClassLoader(), CLASSPATH_ROOT);
    }

    /**
     * Returns a console served from another classpath folder.
     *
     * @param classLoader where to look
     * @param root the folder holding {@code index.html}, without a trailing slash
     * @return the routes
     */
    public static ConsoleRoutes fromClasspath(ClassLoader classLoader, String root) {
        Objects.requireNonNull(classLoader, "classLoader");
        Objects.requireNonNull(root, "root");
        return new ConsoleRoutes(classLoader, root);
    }

    /** Returns whether the build packaged a console ({@code -DskipUi=true} leaves it out). */
    public boolean present() {
        return asset(INDEX).isPresent();
    }

    /**
     * Adds the console's routes; call before the proxy's catch-all and before the admin
     * API's {@code /admin/*} 404.
     *
     * @param routing the public listener's routing
     */
    public void register(HttpRouting.Builder routing) {
        routing.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.exact(CONTEXT),
                (request, response) -> {
                    response.status(Status.MOVED_PERMANENTLY_301);
                    response.header(HeaderNames.LOCATION, CONTEXT + "/");
                    response.send();
                });
        routing.route(Method.predicate(Method.GET, Method.HEAD),
                PathMatchers.create(CONTEXT + "/*"), this::serve);
    }

    private void serve(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        String relative = path.length() <= CONTEXT.length() + 1
                ? "" : path.substring(CONTEXT.length() + 1);
        Optional<String> file = fileFor(relative);
        Optional<Asset> asset = file.flatMap(this::asset);
        if (asset.isEmpty()) {
            notFound(response, relative);
            return;
        }
        send(request, response, asset.get());
    }

    /**
     * Maps a request path below the context to a file: the page for the root and for
     * extension-less paths (client-side routes), the file itself otherwise. Dot segments,
     * empty segments and backslashes name nothing.
     */
    static Optional<String> fileFor(String relative) {
        if (relative.isEmpty()) {
            return Optional.of(INDEX);
        }
        if (relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String[] segments = relative.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        String last = segments[segments.length - 1];
        return extension(last).isEmpty() ? Optional.of(INDEX) : Optional.of(relative);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private Optional<Asset> asset(String file) {
        String type = CONTENT_TYPES.get(extension(file));
        if (type == null) {
            return Optional.empty();
        }
        Asset known = loaded.get(file);
        if (known != null) {
            return Optional.of(known);
        }
        // Only files that exist are remembered, so probing for names costs no memory.
        try (InputStream in = classLoader.getResourceAsStream(root + "/" + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            Asset asset = new Asset(bytes, type, etag(bytes),
                    file.startsWith(HASHED_ASSETS) ? IMMUTABLE : REVALIDATE,
                    file.equals(INDEX));
            loaded.putIfAbsent(file, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + file, e);
        }
    }

    private static void send(ServerRequest request, ServerResponse response, Asset asset) {
        response.header(HeaderNames.CACHE_CONTROL, asset.cacheControl());
        response.header(HeaderNames.ETAG, asset.etag());
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (asset.page()) {
            response.header(HeaderNames.create("Content-Security-Policy"),
                    CONTENT_SECURITY_POLICY);
            response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
            response.header(HeaderNames.create("X-Frame-Options"), "DENY");
        }
        boolean unchanged = request.headers().value(HeaderNames.IF_NONE_MATCH)
                .map(tags -> tags.contains(asset.etag()))
                .orElse(false);
        if (unchanged) {
            response.status(Status.NOT_MODIFIED_304);
            response.send();
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        if (Method.HEAD.equals(request.prologue().method())) {
            response.header(HeaderNames.CONTENT_LENGTH, String.valueOf(asset.bytes().length));
            response.send();
            return;
        }
        response.send(asset.bytes());
    }

    private static void notFound(ServerResponse response, String relative) {
        response.status(Status.NOT_FOUND_404);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        String shown = relative.length() > 80 ? relative.substring(0, 80) + "…" : relative;
        response.send(Refusals.body("no console file '" + shown + "': expected a page of "
                + "the console under " + CONTEXT + "/ or one of its built assets", "not_found"));
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private record Asset(byte[] bytes, String contentType, String etag, String cacheControl,
            boolean page) {
    }
}
