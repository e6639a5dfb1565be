package personae.core.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A transport-independent HTTP request: the Lambda handler builds one from an API Gateway event, the local server from
 * a socket. {@code path} is the raw path including {@code /v1}; the body is a stream so uploads of any size flow
 * straight to storage.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, InputStream body) {

    public ApiRequest {
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = lower;
        method = method.toUpperCase(Locale.ROOT);
        if (body == null) body = InputStream.nullInputStream();
    }

    public static ApiRequest of(String method, String path, Map<String, String> headers, byte[] body) {
        return new ApiRequest(method, path, headers, new ByteArrayInputStream(body == null ? new byte[0] : body));
    }

    /** A header by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
