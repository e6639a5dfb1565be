package personae.core.api;

import personae.core.Limits;

import java.util.Map;

/**
 * The bounds of a request's path and headers ({@link Limits}), checked before anything reads them, by the API and by
 * each transport before it builds a request (the local HTTP server, the Lambda handler). Errors never quote more
 * than {@link Limits#MAX_ECHO_CHARS} characters of the input.
 */
public final class RequestLimits {

    private RequestLimits() {}

    /** The reference's error body for {@code error}, for a transport that answers before the API is called. */
    public static ApiResponse response(ApiError error) {
        return ApiResponse.json(error.status(), PersonaeApi.errorBody(error.code(), java.util.UUID.randomUUID().toString(),
                error.note(), error.validationErrors()));
    }

    /** The request's path and headers within the limits, or the error to answer. */
    public static ApiError check(String path, Map<String, String> headers) {
        if (path != null && path.length() > Limits.MAX_PATH_CHARS) {
            return new ApiError(414, "BAD_REQUEST", "The request path is " + path.length() + " characters long; the limit"
                    + " is " + Limits.MAX_PATH_CHARS);
        }
        long total = 0;
        if (headers != null) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                String name = h.getKey() == null ? "" : h.getKey();
                int value = h.getValue() == null ? 0 : h.getValue().length();
                total += name.length() + value;
                if (value > Limits.MAX_HEADER_CHARS || name.length() > Limits.MAX_HEADER_CHARS) {
                    return new ApiError(431, "BAD_REQUEST", "The header '" + Limits.excerpt(name) + "' is " + value
                            + " characters long; the limit is " + Limits.MAX_HEADER_CHARS + " per header");
                }
            }
        }
        if (total > Limits.MAX_HEADERS_CHARS) {
            return new ApiError(431, "BAD_REQUEST", "The request's headers take " + total + " characters; the limit is "
                    + Limits.MAX_HEADERS_CHARS + " for all headers together");
        }
        return null;
    }
}
