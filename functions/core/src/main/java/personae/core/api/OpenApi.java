package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.ingest.Condition;
import personae.core.ingest.Identity;
import personae.core.ingest.ValueFormat;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.trait.TraitRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of this API, generated from the server's own definitions: the paths, methods and path
 * parameters from the {@link Router}'s routes; the request bodies of the kinds' POST and PATCH from {@link Specs}'
 * field lists (and the traits' from {@link TraitRegistry#WRITABLE}); the upload path patterns, the data-map formats
 * ({@link ValueFormat#ALL}), the identity keys ({@link Identity#FIELDS}) and the condition operators
 * ({@link Condition#OPERATORS}) from their constants. What the server cannot say (descriptions, response schemas)
 * is in the resource {@code openapi-source.json}. Where the two disagree (a route or an accepted field without a
 * description, a description of nothing the server has), the document is still built and {@link #drift()} says
 * what and where; {@code OpenApiTest} fails on it.
 */
public final class OpenApi {

    /** The document's path; it needs no API key (it is the same for everyone and names no account). */
    public static final String PATH = "/v1/openapi.json";

    static final String SOURCE = "openapi-source.json";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final Set<String> MERGE_PATCH_TYPES = new LinkedHashSet<>(List.of("application/json",
            "application/merge-patch+json", "application/json+merge-patch"));

    private final ObjectNode source;
    private final ObjectNode document;
    private final ObjectNode schemas;
    private final List<String> drift = new ArrayList<>();

    /** The document for these routes (a router's {@link Router#table()}). */
    public OpenApi(List<Router.Endpoint> endpoints) {
        this.source = load();
        this.document = source.get("document").deepCopy();
        this.schemas = (ObjectNode) document.path("components").path("schemas");
        generatedSchemas();
        ObjectNode paths = Json.object();
        Set<String> documented = new TreeSet<>();
        source.path("operations").fieldNames().forEachRemaining(documented::add);
        for (Router.Endpoint e : endpoints) {
            String key = e.method() + " " + e.pattern();
            documented.remove(key);
            ObjectNode item = paths.has(e.pattern()) ? (ObjectNode) paths.get(e.pattern()) : paths.putObject(e.pattern());
            item.set(e.method().toLowerCase(), operation(e));
        }
        for (String stale : documented) {
            drift.add(SOURCE + " describes " + stale + ", which the server does not route");
        }
        // the paths come right after info, as readers expect
        ObjectNode ordered = Json.object();
        document.properties().forEach(f -> {
            if (f.getKey().equals("security")) ordered.set("paths", paths);
            ordered.set(f.getKey(), f.getValue());
        });
        document.removeAll();
        document.setAll(ordered);
    }

    /** The document (a copy). */
    public ObjectNode document() {
        return document.deepCopy();
    }

    /** Where the hand-written part and the server disagree, one sentence each; empty when they agree. */
    public List<String> drift() {
        return List.copyOf(drift);
    }

    // ------------------------------------------------------------------ operations

    private ObjectNode operation(Router.Endpoint e) {
        String key = e.method() + " " + e.pattern();
        ObjectNode op = Json.object();
        ResourceType crud = crudKind(e);
        JsonNode written = source.path("operations").get(key);
        if (written != null) {
            op.setAll(((ObjectNode) written).deepCopy());
        } else if (crud != null) {
            op.setAll(crudOperation(e, crud));
        } else {
            drift.add("the route " + key + " has no entry in " + SOURCE + " (operations)");
            op.put("summary", "(not described)");
        }
        String ok = op.has("ok") ? op.remove("ok").asText() : null;
        String body = op.has("body") ? op.remove("body").asText() : null;
        JsonNode also = op.remove("also");
        op.put("operationId", operationId(e));
        ArrayNode params = Json.MAPPER.createArrayNode();
        for (String seg : e.pattern().split("/")) {
            if (seg.startsWith("{") && seg.endsWith("}")) params.add(pathParameter(seg.substring(1, seg.length() - 1)));
        }
        if (!params.isEmpty()) op.set("parameters", params);
        boolean isPublic = key.equals("GET " + PATH);
        if (isPublic) op.putArray("security");
        if (body != null) op.set("requestBody", requestBody(e.method(), body));
        ObjectNode responses = op.putObject("responses");
        if (ok == null) {
            if (written != null) drift.add("the route " + key + " has no \"ok\" response in " + SOURCE);
        } else {
            okResponse(responses, ok, key);
        }
        if (!isPublic) {
            List<String> errors = new ArrayList<>();
            if (!e.method().equals("GET")) errors.add("400");
            errors.add("401");
            if (!params.isEmpty()) errors.add("404");
            if (!e.method().equals("GET")) errors.add("409");
            if (also != null) also.forEach(a -> errors.add(a.asText()));
            for (String status : errors) responses.putObject(status).put("$ref", "#/components/responses/Error");
        }
        responses.putObject("default").put("$ref", "#/components/responses/Error");
        return op;
    }

    /** The kind whose list, create, get, patch or delete this route is, when it is one of those. */
    private ResourceType crudKind(Router.Endpoint e) {
        String[] segs = e.pattern().split("/");
        if (segs.length < 3 || segs.length > 4 || !segs[1].equals("v1")) return null;
        ResourceType t = ResourceType.fromWire(segs[2]).orElse(null);
        if (t == null || !source.path("kinds").has(t.wire())) return null;
        if (segs.length == 3 && (e.method().equals("GET") || e.method().equals("POST"))) return t;
        if (segs.length == 4 && segs[3].equals("{id}") && List.of("GET", "PATCH", "DELETE").contains(e.method())) return t;
        return null;
    }

    private ObjectNode crudOperation(Router.Endpoint e, ResourceType t) {
        JsonNode kind = source.path("kinds").path(t.wire());
        String schema = kind.path("schema").asText();
        String noun = t.noun();
        ObjectNode op = Json.object();
        op.putArray("tags").add(kind.path("tag").asText());
        boolean one = e.pattern().endsWith("}");
        switch (e.method()) {
            case "GET" -> {
                op.put("summary", one ? "A " + noun + " by id" : "List " + t.wire().replace('_', ' '));
                op.put("ok", one ? "200 " + schema : "200 " + schema + "[]");
            }
            case "POST" -> {
                op.put("summary", "Create a " + noun + (t.isBuilt() ? " (it builds asynchronously)" : ""));
                op.put("body", schema + "Post");
                op.put("ok", "201 " + schema);
            }
            case "PATCH" -> {
                op.put("summary", "Change a " + noun + " (a merge patch" + (t.isBuilt() ? "; it rebuilds" : "") + ")");
                op.put("body", schema + "MergePatch");
                op.put("ok", "200 " + schema);
            }
            default -> {
                op.put("summary", "Delete a " + noun + " (409 naming what uses it)");
                op.put("ok", "204");
            }
        }
        return op;
    }

    private static String operationId(Router.Endpoint e) {
        StringBuilder id = new StringBuilder(e.method().toLowerCase());
        for (String seg : e.pattern().split("/")) {
            if (seg.isEmpty() || seg.equals("v1")) continue;
            id.append('_').append(seg.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", ""));
        }
        return id.toString();
    }

    private static ObjectNode pathParameter(String name) {
        ObjectNode p = Json.object();
        p.put("name", name);
        p.put("in", "path");
        p.put("required", true);
        ObjectNode schema = p.putObject("schema");
        schema.put("type", "string");
        if (name.equals("directory")) schema.put("pattern", Specs.DIRECTORY.pattern());
        if (name.equals("filename")) schema.put("pattern", Specs.FILENAME.pattern());
        return p;
    }

    private ObjectNode requestBody(String method, String body) {
        ObjectNode rb = Json.object();
        rb.put("required", true);
        ObjectNode content = rb.putObject("content");
        if (body.equals("bytes")) {
            content.putObject("application/octet-stream").putObject("schema").put("type", "string")
                    .put("contentMediaType", "application/octet-stream");
            return rb;
        }
        if (!schemas.has(body)) drift.add("the request body " + body + " is not a schema in " + SOURCE);
        for (String type : method.equals("PATCH") ? MERGE_PATCH_TYPES : Set.of("application/json")) {
            content.putObject(type).putObject("schema").put("$ref", SCHEMAS + body);
        }
        return rb;
    }

    /** {@code "200 Dataset[]"}, {@code "201 Dataset"}, {@code "204"}, {@code "200 csv"}, {@code "200 bytes"}, ... */
    private void okResponse(ObjectNode responses, String ok, String key) {
        String[] parts = ok.split(" ", 2);
        ObjectNode r = responses.putObject(parts[0]);
        String what = parts.length > 1 ? parts[1] : "empty";
        r.put("description", switch (parts[0]) {
            case "201" -> "Created";
            case "202" -> "Accepted";
            case "204" -> "No content";
            default -> "OK";
        });
        switch (what) {
            case "empty" -> { }
            case "bytes" -> r.putObject("content").putObject("application/octet-stream").putObject("schema")
                    .put("type", "string").put("contentMediaType", "application/octet-stream");
            case "csv" -> r.putObject("content").putObject("text/csv").putObject("schema").put("type", "string");
            case "document" -> r.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
            default -> {
                boolean array = what.endsWith("[]");
                String name = array ? what.substring(0, what.length() - 2) : what;
                ObjectNode schema = r.putObject("content").putObject("application/json").putObject("schema");
                ObjectNode target = array ? schema.put("type", "array").putObject("items") : schema;
                if (!name.equals("any")) {
                    if (!schemas.has(name)) drift.add("the response of " + key + " names " + name + ", not a schema in " + SOURCE);
                    target.put("$ref", SCHEMAS + name);
                }
            }
        }
    }

    // ------------------------------------------------------------------ schemas the server's constants give

    private void generatedSchemas() {
        ObjectNode formats = schemas.putObject("DataMapColumnFormat");
        formats.put("type", "string");
        ArrayNode values = formats.putArray("enum");
        new TreeSet<>(ValueFormat.ALL).forEach(values::add);

        ObjectNode set = schemas.putObject("IdentitySet");
        set.put("type", "object").put("additionalProperties", false).put("minProperties", 1);
        set.put("description", "Identity key -> the column holding it (house_number_and_street: the columns).");
        ObjectNode keys = set.putObject("properties");
        for (String key : Identity.FIELDS) {
            if (key.equals("house_number_and_street")) {
                keys.putObject(key).put("type", "array").put("minItems", 1).putObject("items").put("type", "string");
            } else {
                keys.putObject(key).put("type", "string");
            }
        }

        schemas.set("DatasetStreamCondition", condition("column_name", true));
        schemas.set("CohortStreamCondition", condition("property", false));
        schemas.set("CohortTrait", condition("name", false));

        source.path("kinds").properties().forEach(k -> {
            ResourceType t = ResourceType.fromWire(k.getKey()).orElse(null);
            if (t == null) {
                drift.add(SOURCE + " describes the kind " + k.getKey() + ", which the server does not have");
                return;
            }
            String schema = k.getValue().path("schema").asText();
            JsonNode resource = schemas.path(schema);
            if (!resource.isObject()) {
                drift.add("the kind " + t.wire() + " names the schema " + schema + ", not a schema in " + SOURCE);
                return;
            }
            List<String> required = new ArrayList<>();
            k.getValue().path("postRequired").forEach(r -> required.add(r.asText()));
            List<String> post = postFields(t), patch = patchFields(t);
            schemas.set(schema + "Post", projection(t, "POST", resource, post, required, false));
            schemas.set(schema + "MergePatch", projection(t, "PATCH", resource, patch, List.of(), true));
            for (String r : required) {
                if (!post.contains(r)) drift.add(t.wire() + ": " + SOURCE + " requires '" + r + "' on POST, a field the server does not accept");
            }
            resource.path("properties").properties().forEach(p -> {
                if (!p.getValue().path("readOnly").asBoolean() && !post.contains(p.getKey()) && !patch.contains(p.getKey())) {
                    drift.add(t.wire() + ": " + SOURCE + " shows '" + p.getKey() + "' as writable, but neither POST nor PATCH accepts it (mark it readOnly or remove it)");
                }
            });
        });
    }

    /** The request fields of a kind: the built kinds' from {@link Specs}, the traits' as AnalysisRoutes takes them. */
    static List<String> postFields(ResourceType t) {
        if (t == ResourceType.TRAITS) {
            List<String> fields = new ArrayList<>(TraitRegistry.WRITABLE);
            fields.add("name");
            return fields;
        }
        return Specs.of(t).postFields();
    }

    static List<String> patchFields(ResourceType t) {
        return t == ResourceType.TRAITS ? TraitRegistry.WRITABLE : Specs.of(t).patchFields();
    }

    /** The request body: exactly the fields the server accepts, each with the resource schema's definition. */
    private ObjectNode projection(ResourceType t, String method, JsonNode resource, List<String> fields,
                                  List<String> required, boolean nullable) {
        ObjectNode body = Json.object();
        body.put("type", "object");
        body.put("additionalProperties", false);
        body.put("description", "The fields " + method + " /v1/" + t.wire() + (nullable ? "/{id}" : "")
                + " accepts (unknown fields are rejected)" + (nullable ? "; omitted fields stay, null clears one." : "."));
        ObjectNode props = body.putObject("properties");
        for (String f : fields) {
            JsonNode p = resource.path("properties").get(f);
            if (p == null) {
                drift.add(t.wire() + ": " + method + " accepts '" + f + "', which " + SOURCE + " does not describe");
                props.putObject(f);
                continue;
            }
            ObjectNode copy = p.deepCopy();
            copy.remove("readOnly");
            if (nullable) {
                ObjectNode any = props.putObject(f);
                ArrayNode options = any.putArray("anyOf");
                options.add(copy);
                options.addObject().put("type", "null");
            } else {
                props.set(f, copy);
            }
        }
        if (!required.isEmpty()) {
            ArrayNode req = body.putArray("required");
            required.forEach(req::add);
        }
        return body;
    }

    private ObjectNode condition(String fieldKey, boolean allowNeq) {
        Map<String, String> types = Map.of("_eq", "string", "_neq", "string", "_gt", "number", "_gte", "number",
                "_lt", "number", "_lte", "number", "_in", "strings", "_nin", "strings", "_matches", "string",
                "_null", "boolean");
        ObjectNode c = Json.object();
        c.put("type", "object").put("additionalProperties", false);
        c.putArray("required").add(fieldKey);
        c.put("description", "Non-optional conditions AND together, optional ones OR; nulls match only _null: true.");
        ObjectNode props = c.putObject("properties");
        props.putObject(fieldKey).put("type", "string");
        for (String op : Condition.OPERATORS) {
            if (!allowNeq && op.equals("_neq")) continue;
            String type = op.equals("_nnull") ? "boolean" : types.get(op);
            if (type == null) {
                drift.add("the condition operator " + op + " has no type in OpenApi.condition");
                props.putObject(op);
            } else if (type.equals("strings")) {
                props.putObject(op).put("type", "array").putObject("items").put("type", "string");
            } else {
                props.putObject(op).put("type", type);
            }
        }
        props.putObject("optional").put("type", "boolean");
        return c;
    }

    private static ObjectNode load() {
        try (InputStream in = OpenApi.class.getResourceAsStream(SOURCE)) {
            if (in == null) throw new IllegalStateException(SOURCE + " is missing from the classpath");
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
