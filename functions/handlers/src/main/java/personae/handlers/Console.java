package personae.handlers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The web console's static files, served beside the API by the same server (locally) and the same function (on AWS),
 * so the console is same-origin with {@code /v1} and needs no CORS. {@code GET /} is the page, {@code /console/<file>}
 * its scripts and styles (from the classpath folder {@code console/}), {@code /console/lib/echarts.min.js} ECharts
 * from its WebJar. Anything else under {@code /console/} is a 404; other paths are not the console's (null).
 */
public final class Console {

    /** The ECharts WebJar's version (pom.xml of functions/handlers). */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|html|svg)");
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    /** A file to answer: status, headers and the bytes (gzipped when the client accepts it and it pays). */
    public record Asset(int status, Map<String, String> headers, byte[] body) {
        public boolean gzipped() {
            return "gzip".equals(headers.get("Content-Encoding"));
        }
    }

    private Console() {
    }

    /** Whether the path is the console's (the API keeps every other path, {@code /v1/...} included). */
    public static boolean owns(String path) {
        return path != null && (path.equals("/") || path.equals("/console") || path.startsWith("/console/"));
    }

    /**
     * The answer to a request for a console path ({@link #owns}), or null for any other path. {@code acceptEncoding}
     * is the request's Accept-Encoding header (may be null).
     */
    public static Asset serve(String method, String path, String acceptEncoding) {
        if (!owns(path)) return null;
        if (!method.equals("GET") && !method.equals("HEAD")) return text(405, "The console's files are read with GET");
        String resource;
        String name;
        if (path.equals("/") || path.equals("/console") || path.equals("/console/")) {
            resource = "console/index.html";
            name = "index.html";
        } else if (path.equals("/console/lib/echarts.min.js")) {
            resource = ECHARTS;
            name = "echarts.min.js";
        } else {
            name = path.substring("/console/".length());
            if (!FILE.matcher(name).matches()) return text(404, "No such console file: " + shorten(name));
            resource = "console/" + name;
        }
        byte[] plain = load(resource);
        if (plain == null) return text(404, "No such console file: " + shorten(name));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", type(name));
        // the library's path names its version: cached for good; the console's own files are revalidated
        headers.put("Cache-Control", resource.equals(ECHARTS) ? "public, max-age=31536000, immutable" : "no-cache");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        if (name.endsWith(".html")) {
            headers.put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' "
                    + "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        }
        headers.put("Vary", "Accept-Encoding");
        boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase().contains("gzip") && plain.length > 1024;
        if (gzip) {
            headers.put("Content-Encoding", "gzip");
            return new Asset(200, headers, CACHE.computeIfAbsent("gz:" + resource, k -> gzip(plain)));
        }
        return new Asset(200, headers, plain);
    }

    /** A classpath resource's bytes, read once and kept (null when there is none); the local /docs pages use it too. */
    public static byte[] load(String resource) {
        byte[] cached = CACHE.get(resource);
        if (cached != null) return cached;
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return null;
            byte[] bytes = in.readAllBytes();
            CACHE.put(resource, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String type(String name) {
        if (name.endsWith(".html")) return "text/html; charset=utf-8";
        if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        return "image/svg+xml";
    }

    private static Asset text(int status, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("X-Content-Type-Options", "nosniff");
        return new Asset(status, headers, (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
