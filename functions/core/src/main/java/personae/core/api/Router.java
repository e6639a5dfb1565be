package personae.core.api;

import personae.core.Limits;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Routes by method and path pattern ({@code /v1/datasets/{dataset_id}}) to a handler. */
public final class Router {

    /** Handles one matched request. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(Call call) throws Exception;
    }

    /** A matched request: the account it acts for, the path parameters, and the raw request. */
    public record Call(String account, Map<String, String> params, ApiRequest request) {
        public String param(String name) {
            return params.get(name);
        }
    }

    private record Route(String method, String pattern, String[] segments, Handler handler) {}

    /** A registered route as added: its method and path pattern (read-only; the OpenAPI document lists them). */
    public record Endpoint(String method, String pattern) {}

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, pattern, split(pattern), handler));
        return this;
    }

    /** Every registered route, in the order added (the route table). */
    public List<Endpoint> table() {
        return routes.stream().map(r -> new Endpoint(r.method, r.pattern)).toList();
    }

    /** The matched handler and parameters; 404 for an unknown path, 405 for a known path with another method. */
    public Match match(String method, String path) {
        String[] segs = split(path);
        for (String seg : segs) {
            if (seg.length() > Limits.MAX_PATH_PARAM_CHARS) {
                throw ApiError.badRequest("The path segment '" + Limits.excerpt(seg) + "' is " + seg.length()
                        + " characters long; ids, names and file names in a path are at most "
                        + Limits.MAX_PATH_PARAM_CHARS);
            }
            if (seg.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw ApiError.badRequest("The path segment '" + Limits.excerpt(seg) + "' contains control characters");
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments, segs);
            if (params == null) continue;
            if (r.method.equals(method)) return new Match(r.handler, params);
            allowed.add(r.method);
        }
        if (!allowed.isEmpty()) {
            throw new ApiError(405, "BAD_REQUEST", Limits.excerpt(method) + " is not allowed on " + Limits.excerpt(path) + "; allowed: "
                    + String.join(", ", allowed));
        }
        throw ApiError.notFound("No such endpoint: " + Limits.excerpt(method) + " " + Limits.excerpt(path));
    }

    /** Every route as "METHOD /pattern", in the order they are matched. */
    public List<String> endpoints() {
        return routes.stream().map(r -> r.method + " /" + String.join("/", r.segments)).toList();
    }

    public record Match(Handler handler, Map<String, String> params) {}

    private static Map<String, String> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) return null;
        Map<String, String> params = new TreeMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) return null;
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path;
        while (p.endsWith("/") && p.length() > 1) p = p.substring(0, p.length() - 1);
        if (p.startsWith("/")) p = p.substring(1);
        String[] raw = p.split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            try {
                raw[i] = java.net.URLDecoder.decode(raw[i].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("The path segment '" + Limits.excerpt(raw[i]) + "' is not valid percent-encoding"
                        + " (a % must be followed by two hexadecimal digits)");
            }
        }
        return raw;
    }
}
