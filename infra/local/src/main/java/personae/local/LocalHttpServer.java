package personae.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import personae.core.api.ApiRequest;
import personae.core.api.ApiResponse;
import personae.core.api.PersonaeApi;
import personae.core.api.RequestLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The v1 API over HTTP on 127.0.0.1, for the local runtime: request bodies stream into the API (uploads of any size go
 * straight to storage) and response bodies stream out (CSV downloads are not buffered). Each request runs on its own
 * virtual thread. The path and headers are bounded ({@link RequestLimits}) before the API sees them, answered in
 * the reference's error body; beyond what the JDK server itself accepts (headers above 384 KB close the connection,
 * a path that is not a valid URI gets the JDK's own 400 page) nothing reaches the API.
 */
final class LocalHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private LocalHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static LocalHttpServer start(int port, PersonaeApi api) {
        return start(port, api, null);
    }

    /** With {@code files} (may be null), presigned GETs under {@code /files/} are served too. */
    static LocalHttpServer start(int port, PersonaeApi api, LocalFiles files) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            // a virtual thread per request: a download.csv waiting up to a minute for its target holds no platform
            // thread, so any number of them never starve the other requests
            ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("personae-http-", 0).factory());
            server.setExecutor(executor);
            server.createContext("/", exchange -> serve(api, exchange));
            if (files != null) {
                files.listening(server.getAddress().getPort()); // bound already: URLs name the port before any request
                server.createContext(LocalFiles.PREFIX + "/", files::serve);
            }
            server.start();
            return new LocalHttpServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " (set PERSONAE_PORT to another port)", e);
        }
    }

    private static void serve(PersonaeApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            String path = exchange.getRequestURI().getRawPath();
            var tooLarge = RequestLimits.check(path, headers);
            ApiResponse response = tooLarge != null ? RequestLimits.response(tooLarge)
                    : api.handle(new ApiRequest(exchange.getRequestMethod(), path, headers, exchange.getRequestBody()));
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            boolean noBody = response.status() == 204 || response.status() == 302
                    || exchange.getRequestMethod().equals("HEAD");
            if (noBody) {
                drain(exchange);
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            byte[] small = null;
            if (response.headers().getOrDefault("Content-Type", "").startsWith("application/json")) {
                small = response.bodyBytes();
            }
            drain(exchange);
            if (small != null) {
                exchange.sendResponseHeaders(response.status(), small.length == 0 ? -1 : small.length);
                if (small.length > 0) exchange.getResponseBody().write(small);
            } else {
                exchange.sendResponseHeaders(response.status(), 0); // chunked: streams any size
                try (OutputStream out = exchange.getResponseBody()) {
                    response.body().writeTo(out);
                }
            }
        }
    }

    /** How much of a request body the API left unread is read to keep the connection; beyond it, it is closed. */
    static final long DRAIN_LIMIT = 1 << 20;

    /**
     * Reads what the API left of the request body, so the connection can be reused; a large rest (a JSON body far
     * over its limit) is not read: the connection closes instead.
     */
    private static void drain(HttpExchange exchange) {
        try {
            InputStream in = exchange.getRequestBody();
            in.transferTo(new OutputStream() {
                long n;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    n += len;
                    if (n > DRAIN_LIMIT) throw new IOException("rest of body too large");
                }
            });
        } catch (IOException tooLargeOrClosed) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
