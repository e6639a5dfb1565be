package personae.local;

import personae.handlers.Console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Swagger UI at {@code /docs}, locally only, on the API's own document ({@code GET /v1/openapi.json}): the page and
 * its initializer from the classpath folder {@code docs/}, the library from the swagger-ui WebJar (a dependency of
 * this module alone, so not in the Lambda jar). Same origin as {@code /v1}, so "Try it out" calls this server.
 */
final class SwaggerUi {

    static final String PREFIX = "/docs";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/" + version() + "/";
    /** The files served, each from this module's {@code docs/} (ours) or from the WebJar. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "docs/index.html",
            "personae-docs.js", "docs/personae-docs.js",
            "swagger-ui.css", WEBJAR + "swagger-ui.css",
            "swagger-ui-bundle.js", WEBJAR + "swagger-ui-bundle.js",
            "favicon-32x32.png", WEBJAR + "favicon-32x32.png");

    private SwaggerUi() {
    }

    static boolean owns(String path) {
        return path != null && (path.equals(PREFIX) || path.startsWith(PREFIX + "/"));
    }

    /** The answer to a {@code /docs} path: the page at {@code /docs} and {@code /docs/}, its files below. */
    static Console.Asset serve(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) return text(405, "The documentation is read with GET");
        String name = path.equals(PREFIX) || path.equals(PREFIX + "/") ? "index.html" : path.substring(PREFIX.length() + 1);
        String resource = FILES.get(name);
        byte[] body = resource == null ? null : Console.load(resource);
        if (body == null) return text(404, "No such documentation file: " + (name.length() > 100 ? name.substring(0, 100) + "..." : name));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "image/png");
        headers.put("Cache-Control", "no-cache");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        if (name.endsWith(".html")) {
            headers.put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' "
                    + "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        }
        return new Console.Asset(200, headers, body);
    }

    /** The WebJar's version, from its own Maven metadata (so the pom names it once). */
    private static String version() {
        try (InputStream in = SwaggerUi.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) throw new IllegalStateException("the swagger-ui WebJar is not on the classpath");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Console.Asset text(int status, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("X-Content-Type-Options", "nosniff");
        return new Console.Asset(status, headers, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
