package personae.local;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import personae.core.api.ApiError;
import personae.core.api.ApiRequest;
import personae.core.api.ApiResponse;
import personae.core.api.PersonaeApi;
import personae.core.api.RequestLimits;
import personae.handlers.Console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The v1 API over HTTP on 127.0.0.1, for the local runtime (Jetty, already on the emulators' classpath): request
 * bodies stream into the API (uploads of any size go straight to storage) and response bodies stream out (CSV
 * downloads are not buffered). Each request runs on its own virtual thread. The path and headers are bounded
 * ({@link RequestLimits}) before the API sees them; what the server itself refuses (a request line that is not
 * HTTP, a path that is not a valid URI, headers above 512 KB) is answered in the reference's error body too.
 */
final class LocalHttpServer implements AutoCloseable {

    /** Headers the server reads before refusing the request (the API's own limit, 32 KB, is checked after). */
    static final int SERVER_HEADER_LIMIT = 512 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService executor;

    private LocalHttpServer(Server server, ServerConnector connector, ExecutorService executor) {
        this.server = server;
        this.connector = connector;
        this.executor = executor;
    }

    static LocalHttpServer start(int port, PersonaeApi api) {
        return start(port, api, null);
    }

    /** With {@code files} (may be null), presigned GETs under {@code /files/} are served too. */
    static LocalHttpServer start(int port, PersonaeApi api, LocalFiles files) {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("personae-http");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(SERVER_HEADER_LIMIT);
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        // the API judges paths itself (an encoded slash in a file name is its 400, not the server's)
        config.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        // a virtual thread per request: a download.csv waiting up to a minute for its target holds no platform
        // thread, so any number of them never starve the other requests
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("personae-http-", 0).factory());
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                executor.execute(() -> {
                    try {
                        JettyCall call = new JettyCall(request, response);
                        if (files != null && call.rawPath().startsWith(LocalFiles.PREFIX + "/")) files.serve(call);
                        else if (Console.owns(call.rawPath())) console(call);
                        else if (SwaggerUi.owns(call.rawPath())) docs(call);
                        else serve(api, call);
                        call.finish();
                        callback.succeeded();
                    } catch (Throwable t) {
                        callback.failed(t);
                    }
                });
                return true;
            }
        });
        server.setErrorHandler(new JsonErrors());
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " (set PERSONAE_PORT to another port)",
                    e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
        if (files != null) files.listening(connector.getLocalPort());
        return new LocalHttpServer(server, connector, executor);
    }

    private static void serve(PersonaeApi api, HttpCall call) throws IOException {
        Map<String, String> headers = call.headers();
        String path = call.rawPath();
        var tooLarge = RequestLimits.check(path, headers);
        ApiResponse response = tooLarge != null ? RequestLimits.response(tooLarge)
                : api.handle(new ApiRequest(call.method(), path, headers, call.body()));
        boolean noBody = response.status() == 204 || response.status() == 302 || call.method().equals("HEAD");
        Map<String, String> out = new LinkedHashMap<>(response.headers());
        if (noBody) {
            drain(call, out);
            call.respond(response.status(), out, 0).close();
            return;
        }
        byte[] small = out.getOrDefault("Content-Type", "").startsWith("application/json") ? response.bodyBytes() : null;
        drain(call, out);
        if (small != null) {
            try (OutputStream body = call.respond(response.status(), out, small.length)) {
                body.write(small);
            }
        } else {
            try (OutputStream body = call.respond(response.status(), out, -1)) { // chunked: streams any size
                response.body().writeTo(body);
            }
        }
    }

    /** The web console's files ({@link Console}), same-origin with the API. */
    private static void console(HttpCall call) throws IOException {
        List<String> accept = call.header("Accept-Encoding");
        Console.Asset page = Console.serve(call.method(), call.rawPath(), String.join(",", accept));
        Map<String, String> out = new LinkedHashMap<>(page.headers());
        drain(call, out);
        boolean head = call.method().equals("HEAD");
        try (OutputStream body = call.respond(page.status(), out, head ? 0 : page.body().length)) {
            if (!head) body.write(page.body());
        }
    }

    /** Swagger UI on the API's OpenAPI document ({@link SwaggerUi}), locally only. */
    private static void docs(HttpCall call) throws IOException {
        Console.Asset page = SwaggerUi.serve(call.method(), call.rawPath());
        Map<String, String> out = new LinkedHashMap<>(page.headers());
        drain(call, out);
        boolean head = call.method().equals("HEAD");
        try (OutputStream body = call.respond(page.status(), out, head ? 0 : page.body().length)) {
            if (!head) body.write(page.body());
        }
    }

    /** How much of a request body the API left unread is read to keep the connection; beyond it, it is closed. */
    static final long DRAIN_LIMIT = 1 << 20;

    /**
     * Reads what the API left of the request body, so the connection can be reused; a large rest (a JSON body far
     * over its limit) is not read: the connection closes instead.
     */
    private static void drain(HttpCall call, Map<String, String> responseHeaders) {
        try {
            InputStream in = call.body();
            byte[] buffer = new byte[8192];
            long n = 0;
            for (int r; (r = in.read(buffer)) > 0; ) {
                n += r;
                if (n > DRAIN_LIMIT) throw new IOException("rest of body too large");
            }
        } catch (IOException tooLargeOrClosed) {
            responseHeaders.put("Connection", "close");
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
        executor.shutdownNow();
    }

    /** A Jetty request and response as an {@link HttpCall}. */
    private static final class JettyCall implements HttpCall {
        private final Request request;
        private final Response response;
        private InputStream body;
        private OutputStream out;

        JettyCall(Request request, Response response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            String p = request.getHttpURI().getPath();
            return p == null ? "/" : p;
        }

        @Override
        public String rawQuery() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public List<String> header(String name) {
            return new ArrayList<>(request.getHeaders().getValuesList(name));
        }

        @Override
        public Map<String, String> headers() {
            Map<String, List<String>> grouped = new LinkedHashMap<>();
            for (HttpField f : request.getHeaders()) {
                grouped.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
            }
            Map<String, String> out = new LinkedHashMap<>();
            grouped.forEach((k, v) -> out.put(k, String.join(",", v)));
            return out;
        }

        @Override
        public InputStream body() {
            if (body == null) body = Content.Source.asInputStream(request);
            return body;
        }

        @Override
        public OutputStream respond(int status, Map<String, String> headers, long length) {
            response.setStatus(status);
            headers.forEach((k, v) -> response.getHeaders().put(k, v));
            if (length >= 0) response.getHeaders().put("Content-Length", Long.toString(length));
            out = Content.Sink.asOutputStream(response);
            return out;
        }

        /** Ends the response (an answer never started is a bare 500, which the handlers never leave). */
        void finish() throws IOException {
            if (out == null) {
                response.setStatus(500);
                response.getHeaders().put("Content-Length", "0");
                out = Content.Sink.asOutputStream(response);
            }
            out.close();
        }
    }

    /** What the server itself refuses, answered in the reference's error body, never an HTML page. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 400;
            String note = switch (status) {
                case 400 -> "The request is not valid HTTP: its path must be a valid URI (a '%' followed by two "
                        + "hexadecimal digits, no raw spaces or control characters)";
                case 414 -> "The request path is too long";
                case 431 -> "The request's headers are too large (at most " + SERVER_HEADER_LIMIT / 1024 + " KB)";
                default -> "The request could not be read";
            };
            ApiResponse answer = RequestLimits.response(new ApiError(status, "BAD_REQUEST", note));
            byte[] body = answer.bodyBytes();
            response.setStatus(status);
            response.getHeaders().put("Content-Type", "application/json");
            response.getHeaders().put("Content-Length", Long.toString(body.length));
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
