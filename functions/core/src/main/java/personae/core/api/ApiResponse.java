package personae.core.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transport-independent response. The body is written by a callback so that large CSV downloads stream to the
 * client locally; the Lambda handler buffers it (its responses are capped, see {@code Downloads}).
 */
public record ApiResponse(int status, Map<String, String> headers, Body body) {

    /** Writes the response body. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static ApiResponse json(int status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), out -> out.write(bytes));
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, Map.of(), out -> { });
    }

    public static ApiResponse redirect(String location) {
        return new ApiResponse(302, Map.of("Location", location), out -> { });
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    /** The whole body in memory; for JSON responses and tests. */
    public byte[] bodyBytes() {
        var out = new java.io.ByteArrayOutputStream();
        try {
            body.writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String bodyText() {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }
}
