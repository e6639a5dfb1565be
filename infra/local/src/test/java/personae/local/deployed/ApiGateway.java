package personae.local.deployed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import personae.core.resource.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The HTTP API in front of the ApiFunction process, on 127.0.0.1: each request becomes an API Gateway HTTP API event
 * (payload format 2.0, route {@code ANY /v1/{proxy+}}, as in template.yaml) and the function's answer becomes the
 * response. Bodies above API Gateway's 10 MB are refused with 413, as API Gateway does; the 6 MB Lambda payload
 * limit is the function process's.
 */
final class ApiGateway implements AutoCloseable {

    static final int REQUEST_LIMIT = 10 * 1024 * 1024;

    private final HttpServer server;

    ApiGateway(FunctionProcess api) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(api, exchange);
            } catch (RuntimeException e) {
                byte[] b = ("{\"message\":\"Internal Server Error\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, b.length);
                exchange.getResponseBody().write(b);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void handle(FunctionProcess api, HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        byte[] body = x.getRequestBody().readNBytes(REQUEST_LIMIT + 1);
        if (!path.startsWith("/v1/") || body.length > REQUEST_LIMIT) {
            int status = body.length > REQUEST_LIMIT ? 413 : 404;
            byte[] b = (status == 413 ? "{\"message\":\"Request Entity Too Large\"}" : "{\"message\":\"Not Found\"}")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            return;
        }
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("routeKey", "ANY /v1/{proxy+}");
        e.put("rawPath", path);
        e.put("rawQueryString", x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery());
        ObjectNode headers = e.putObject("headers");
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", "123456789012").put("apiId", "deploytest").put("stage", "$default")
                .put("requestId", UUID.randomUUID().toString()).put("routeKey", "ANY /v1/{proxy+}")
                .put("timeEpoch", System.currentTimeMillis());
        ctx.putObject("http").put("method", x.getRequestMethod()).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1").put("userAgent", headers.path("user-agent").asText(""));
        e.putObject("pathParameters").put("proxy", path.substring("/v1/".length()));
        String type = headers.path("content-type").asText("");
        boolean text = type.startsWith("application/json") || type.startsWith("text/");
        if (body.length > 0) e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        e.put("isBase64Encoded", body.length > 0 && !text);

        JsonNode r;
        try {
            r = Json.read(api.invoke(Json.write(e)));
        } catch (FunctionProcess.FunctionError failed) {
            byte[] b = "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(500, b.length);
            x.getResponseBody().write(b);
            return;
        }
        r.path("headers").properties().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) x.getResponseHeaders().add(h.getKey(), h.getValue().asText());
        });
        String out = r.path("body").asText("");
        byte[] bytes = r.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(out)
                : out.getBytes(StandardCharsets.UTF_8);
        int status = r.path("statusCode").asInt(200);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) x.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
