package personae.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Kinds;
import personae.core.Problem;
import personae.core.Services;
import personae.core.account.Accounts;
import personae.core.api.Router.Call;
import personae.core.cohort.TraitNames;
import personae.core.ingest.CsvFiles;
import personae.core.ingest.CsvProblem;
import personae.core.ingest.DatasetSpec;
import personae.core.pipeline.Keys;
import personae.core.pipeline.PersonaSetBuild;
import personae.core.pipeline.Builds;
import personae.core.resource.Json;
import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceGraph;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;
import personae.core.scope.ScopeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The v1 REST API, independent of the transport: authenticates the Bearer key, routes, validates, and answers with the
 * reference's status codes and error body. Never throws and never shows a stack trace: unexpected failures become a
 * 500 whose {@code id} is logged with the cause.
 */
public final class PersonaeApi {

    private static final Logger LOG = Logger.getLogger(PersonaeApi.class.getName());

    private final Services services;
    private final Resources resources;
    private final ResourceGraph graph;
    private final Uploads uploads;
    private final Downloads downloads;
    private final Builds builds;
    private final Router router = new Router();
    private final LookupRoutes lookups;
    /** The request being handled on this thread (a lookup target's output_url names the host it came to). */
    private static final ThreadLocal<ApiRequest> REQUEST = new ThreadLocal<>();

    public PersonaeApi(Services services) {
        this.services = services;
        this.resources = services.resources();
        this.graph = new ResourceGraph(resources);
        this.uploads = new Uploads(services);
        this.downloads = new Downloads(services);
        this.builds = new Builds(services);
        this.lookups = new LookupRoutes(services);
        routes();
    }

    /** SHA-256 hex of an API key: only hashes are stored. */
    public static String keyHash(String apiKey) {
        return Accounts.keyHash(apiKey);
    }

    /** Creates an account (if new) and makes {@code apiKey} authenticate it. */
    public static void ensureAccount(Services services, String accountId, String name, String apiKey) {
        new Accounts(services).ensure(accountId, name, apiKey);
    }

    /** Every route, as "METHOD /pattern", in the order they are matched (for tests that must visit them all). */
    public List<String> endpoints() {
        return router.endpoints();
    }

    public ApiResponse handle(ApiRequest request) {
        REQUEST.set(request);
        try {
            ApiError bounds = RequestLimits.check(request.path(), request.headers());
            if (bounds != null) throw bounds;
            // the OpenAPI document is public: the same for every account, naming none
            boolean open = request.method().equals("GET") && request.path().equals(OpenApi.PATH);
            String account = open ? null : lookups.isLookup(request)
                    ? lookups.account(request, () -> authenticate(request)) : authenticate(request);
            Router.Match m = router.match(request.method(), request.path());
            return m.handler().handle(new Call(account, m.params(), request));
        } catch (ApiError e) {
            return error(e);
        } catch (Problem e) {
            return error(ApiError.of(e));
        } catch (CsvProblem e) {
            return error(ApiError.badRequest(e.getMessage()));
        } catch (JsonProcessingException e) {
            return error(JsonBodies.invalid(e));
        } catch (Exception e) {
            String id = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "error " + id + " on " + request.method() + " " + request.path(), e);
            return ApiResponse.json(500, errorBody("INTERNAL_SERVER_ERROR", id,
                    "Something went wrong on our side; quote error id " + id + " when reporting it", List.of()));
        } finally {
            REQUEST.remove();
        }
    }

    private static ApiResponse error(ApiError e) {
        return ApiResponse.json(e.status(), errorBody(e.code(), UUID.randomUUID().toString(), e.note(), e.validationErrors()));
    }

    static String errorBody(String code, String id, String note, List<ApiError.ValidationError> errors) {
        ObjectNode body = Json.object();
        body.put("error", code);
        body.put("id", id);
        body.put("note", note);
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("validationErrors");
            for (ApiError.ValidationError ve : errors) {
                ObjectNode o = list.addObject();
                o.putObject("context").put("errorType", ve.errorType());
                o.put("message", ve.message());
                o.put("path", ve.path());
            }
        }
        return Json.write(body);
    }

    private String authenticate(ApiRequest request) {
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            throw new ApiError(401, "MISSING_API_KEY", "Send your API key as 'Authorization: Bearer <key>'");
        }
        String[] parts = header.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
            throw new ApiError(401, "INVALID_AUTHORIZATION", "The Authorization header must be 'Bearer <key>'");
        }
        if (!parts[1].matches("[A-Za-z0-9_\\-.~+/=]{8,200}")) {
            throw new ApiError(401, "MALFORMED_API_KEY", "The API key is malformed");
        }
        return services.metadata().accountForKeyHash(keyHash(parts[1]))
                .orElseThrow(() -> new ApiError(401, "INVALID_AUTHORIZATION", "The API key is not recognised"));
    }

    // ------------------------------------------------------------------ routes

    private void routes() {
        new AccountRoutes(services).addTo(router);
        router.add("GET", "/v1/uploads", uploads::list)
                .add("POST", "/v1/uploads/{directory}/{filename}", uploads::upload)
                .add("GET", "/v1/uploads/{directory}/{filename}", uploads::download)
                .add("DELETE", "/v1/uploads/{directory}/{filename}", uploads::delete)
                .add("GET", "/v1/streams", c -> ok(resources.list(c.account(), ResourceType.STREAMS).stream().map(this::streamView).toList()))
                .add("POST", "/v1/streams/{stream_name}", c -> ok(streamView(stream(c.account(), c.param("stream_name"), true))))
                .add("GET", "/v1/streams/{stream_id_or_name}", c -> ok(streamView(stream(c.account(), c.param("stream_id_or_name"), false))))
                .add("DELETE", "/v1/streams/{stream_id_or_name}", c -> delete(stream(c.account(), c.param("stream_id_or_name"), false)))
                .add("PATCH", "/v1/persona_sets/{id}/personas/{persona_id}", this::renamePersona)
                .add("GET", "/v1/targets/{id}/download.csv", downloads::download)
                .add("POST", "/v1/targets/{id}/preview", downloads::preview)
                .add("GET", "/v1/scopes/{id}/payload/persona_sets", c -> refs(c, ScopeSpec.PERSONA_SETS))
                .add("GET", "/v1/scopes/{id}/population/cohorts", c -> refs(c, ScopeSpec.POPULATION))
                .add("GET", "/v1/scopes/{id}/population/exclusion_cohorts", c -> refs(c, ScopeSpec.EXCLUSIONS))
                .add("GET", "/v1/scopes/{id}/payload/cohorts", c -> refs(c, ScopeSpec.PAYLOAD_COHORTS))
                .add("GET", "/v1/scopes/{id}/payload/outcomes", c -> emptyFor(c))
                .add("GET", "/v1/scopes/{id}/payload/recommenders", c -> emptyFor(c))
                .add("GET", "/v1/scopes/{id}/targets", c -> ok(graph.dependents(resources.require(c.account(),
                        ResourceType.SCOPES, c.param("id"))).stream().filter(d -> d.type() == ResourceType.TARGETS)
                        .map(this::view).toList()))
                .add("GET", "/v1/scopes/{id}/datasets", c -> {
                    Stored scope = resources.require(c.account(), ResourceType.SCOPES, c.param("id"));
                    if (ScopeSpec.of(scope.doc()).everyone()) { // population.cohort_ids []: every dataset's people
                        return ok(resources.list(c.account(), ResourceType.DATASETS).stream().map(this::view).toList());
                    }
                    List<ObjectNode> out = new ArrayList<>();
                    for (String cohortId : ScopeSpec.POPULATION.strings(scope.doc())) {
                        resources.find(c.account(), ResourceType.COHORTS, cohortId).ifPresent(cohort ->
                                graph.inputs(cohort).found().stream().map(this::view)
                                        .filter(v -> out.stream().noneMatch(o -> o.get("id").equals(v.get("id"))))
                                        .forEach(out::add));
                    }
                    return ok(out);
                });
        new AnalysisRoutes(services).addTo(router);
        router.add("GET", OpenApi.PATH, c -> openApi());
        lookups.addTo(router);
        for (ResourceType t : List.of(ResourceType.DATASETS, ResourceType.COHORTS, ResourceType.PERSONA_SETS,
                ResourceType.SCOPES, ResourceType.TARGETS)) {
            String base = "/v1/" + t.wire();
            router.add("GET", base, c -> ok(resources.list(c.account(), t).stream().map(this::view).toList()))
                    .add("POST", base, c -> create(c, Specs.of(t)))
                    .add("GET", base + "/{id}", c -> ok(view(resources.require(c.account(), t, c.param("id")))))
                    .add("PATCH", base + "/{id}", c -> patch(c, Specs.of(t)))
                    .add("DELETE", base + "/{id}", c -> delete(resources.require(c.account(), t, c.param("id"))));
        }
    }

    // ------------------------------------------------------------------ the OpenAPI document

    private volatile String openApi;

    /** The routes this API serves (the OpenAPI document's paths). */
    List<Router.Endpoint> routeTable() {
        return router.table();
    }

    /** The document of this API's routes, built on first request (all routes are registered by then). */
    private ApiResponse openApi() {
        String doc = openApi;
        if (doc == null) openApi = doc = Json.write(new OpenApi(router.table()).document());
        return ApiResponse.json(200, doc);
    }

    // ------------------------------------------------------------------ built resources

    private ApiResponse create(Call c, Specs.Spec spec) throws IOException {
        ObjectNode body = jsonObject(c);
        Validation v = new Validation();
        spec.defaults(body, names(c.account()));
        v.onlyFields(body, "", spec.postFields());
        spec.validate(body, v);
        checkReferences(c.account(), Kinds.of(spec.type()), body, null, v);
        v.throwIfFailed();
        Stored created = resources.create(c.account(), spec.type(), body);
        if (spec.type() == ResourceType.DATASETS) ensureStreams(c.account(), body);
        builds.first(c.account(), spec.type(), created.id());
        return ApiResponse.json(201, Json.write(view(created)));
    }

    private ApiResponse patch(Call c, Specs.Spec spec) throws IOException {
        Stored current = resources.require(c.account(), spec.type(), c.param("id"));
        ObjectNode patch = jsonObject(c);
        Validation v = new Validation();
        v.onlyFields(patch, "", spec.patchFields());
        if (patch.get("representation") instanceof ObjectNode) spec.patchDefaults(patch, names(c.account()));
        ObjectNode merged = current.view();
        MergePatch.apply(merged, patch);
        for (String ro : List.of("id", "created_at", "updated_at", "resource_type", "status", "status_changed_at",
                "status_error", "last_updated_config_at", "last_updated_output_at", "last_read_input_at",
                "row_count", "identified_count", "rows_dropped", "detected_columns", "updates", "population_count", "columns",
                "personas", PersonaSetBuild.LAST_REBUILD, PersonaSetBuild.CLUSTER_COUNT)) {
            merged.remove(ro);
        }
        spec.validate(merged, v);
        checkReferences(c.account(), Kinds.of(spec.type()), merged, current.id(), v);
        v.throwIfFailed();
        resources.update(c.account(), spec.type(), current.id(), s -> {
            MergePatch.apply(s.doc(), patch);
            s.doc().put("last_updated_config_at", resources.now());
        }).orElseThrow(() -> ApiError.notFound("No " + spec.type().noun() + " with id " + current.id()));
        builds.request(c.account(), spec.type(), current.id());
        Stored updated = resources.require(c.account(), spec.type(), current.id());
        if (spec.type() == ResourceType.DATASETS) ensureStreams(c.account(), updated.doc());
        return ok(view(updated));
    }

    private Specs.Names names(String account) {
        return (type, id) -> resources.find(account, type, id).map(Stored::name);
    }

    /**
     * Every reference the kind declares ({@link Kind#references()}) has its shape (a non-blank string, or an array of
     * them), is present when required, and, when it is an id, names an existing resource of this account; names are
     * unique where the kind says so; a dataset's mapped columns are in its files' header.
     */
    private void checkReferences(String account, Kind<?> kind, JsonNode doc, String selfId, Validation v) {
        for (Reference r : kind.references()) checkShape(r, doc, v);
        for (Reference.Value value : kind.values(doc)) {
            Reference r = value.reference();
            if (r.shape().byName() || !r.kind().isBuilt() || value.value().isBlank()) continue;
            if (resources.find(account, r.kind(), value.value()).isEmpty()) {
                v.fail(value.pointer(), "no " + r.kind().noun() + " with id " + value.value(), "reference");
            }
        }
        String name = Json.text(doc, "name");
        if (kind.uniqueNames() && name != null && resources.list(account, kind.type()).stream()
                .anyMatch(s -> name.equals(s.name()) && !s.id().equals(selfId))) {
            throw ApiError.conflict("A " + kind.type().noun() + " named '" + name + "' already exists; "
                    + kind.type().noun() + " names are unique");
        }
        if (kind.type() == ResourceType.DATASETS && v.ok()) checkColumns(account, doc, v);
        if (v.ok()) checkTraitNames(account, kind.type(), doc, v);
    }

    /** A cohort's {@code traits[].name} and a scope's {@code payload.attributes} name traits the account knows. */
    private void checkTraitNames(String account, ResourceType type, JsonNode doc, Validation v) {
        Map<String, String> named = new LinkedHashMap<>(); // pointer -> trait name
        JsonNode list = type == ResourceType.COHORTS ? doc.path("traits")
                : type == ResourceType.SCOPES ? doc.path("payload").path("attributes") : null;
        if (list == null || !list.isArray() || list.isEmpty()) return;
        for (int i = 0; i < list.size(); i++) {
            JsonNode name = type == ResourceType.COHORTS ? list.get(i).path("name") : list.get(i);
            named.put(type == ResourceType.COHORTS ? "/traits/" + i + "/name" : "/payload/attributes/" + i, name.asText());
        }
        TraitNames known = TraitNames.of(services, account);
        named.forEach((pointer, name) -> {
            if (!known.has(name)) v.fail(pointer, known.unknown(name), "reference");
        });
    }

    private static void checkShape(Reference r, JsonNode doc, Validation v) {
        JsonNode n = doc.at(r.pointer());
        if (n.isMissingNode() || n.isNull()) {
            if (r.required()) v.fail(r.pointer(), "is required", "required");
            return;
        }
        switch (r.shape()) {
            case ID, NAME -> {
                if (!n.isTextual()) v.fail(r.pointer(), "must be a string", "type");
                else if (n.asText().isBlank()) v.fail(r.pointer(), "must not be blank", "pattern");
            }
            case IDS -> {
                if (!n.isArray()) {
                    v.fail(r.pointer(), "must be an array of " + r.kind().noun() + " ids", "type");
                    return;
                }
                for (int i = 0; i < n.size(); i++) {
                    if (!n.get(i).isTextual()) v.fail(r.pointer() + "/" + i, "must be a string", "type");
                    else if (n.get(i).asText().isBlank()) v.fail(r.pointer() + "/" + i, "must not be blank", "pattern");
                }
            }
            case NAME_KEYS -> {
                if (!n.isObject()) v.fail(r.pointer(), "must be an object", "type");
            }
        }
    }

    /** When the upload directory already has a file, every mapped column must be in its header. */
    private void checkColumns(String account, JsonNode doc, Validation v) {
        DatasetSpec spec = DatasetSpec.fromDocument(doc);
        var first = services.blobs().list(Keys.uploadDirectory(account, spec.uploadDirectory())).stream()
                .filter(b -> CsvFiles.isReadable(b.key())).findFirst();
        if (first.isEmpty()) return;
        String name = first.get().key().substring(Keys.uploads(account).length());
        List<String> header;
        try (var in = CsvFiles.decoded(name, services.blobs().open(first.get().key()))) {
            header = CsvFiles.header(name, in, spec.delimiter(), spec.headerRow());
        } catch (IOException | RuntimeException e) {
            return; // an unreadable file: its problem is reported by its upload and by the build
        }
        spec.referencedColumns().forEach((column, pointer) -> {
            if (!header.contains(column)) {
                v.fail(pointer, "column '" + column + "' is not in the header of " + name + " (columns: "
                        + String.join(", ", header) + ")", "reference");
            }
        });
    }

    private ApiResponse delete(Stored s) {
        List<Stored> dependents = graph.dependents(s);
        if (!dependents.isEmpty()) {
            List<String> names = dependents.stream().map(d -> d.type().noun() + " '" + d.name() + "' (" + d.id() + ")").toList();
            throw ApiError.conflict("Cannot delete " + s.type().noun() + " '" + s.name() + "': it is used by "
                    + String.join(", ", names) + ". Check for dependencies and delete those first.");
        }
        List<Stored> rebuilt = graph.rebuiltAfter(s); // a reference table's traits leave the datasets that joined it
        resources.delete(s);
        String prefix = Keys.outputs(s.type(), s.account(), s.id());
        if (prefix != null) services.blobs().deleteAll(prefix);
        for (Stored d : rebuilt) {
            if (d.doc().hasNonNull("last_updated_output_at")) builds.request(d.account(), d.type(), d.id());
        }
        return ApiResponse.empty(204);
    }

    /** How far along a status is, for a stream's: ready beats error (another dataset's events are readable). */
    private static int progress(Status s) {
        return switch (s) {
            case NEW -> 0;
            case ERROR -> 1;
            case STARTING -> 2;
            case RUNNING -> 3;
            case READY -> 4;
        };
    }

    /**
     * The document as shown: internal state removed; a dataset's streams with their ids; a ready hosted-CSV target
     * gets a fresh signed output_url, a lookup_api target its lookup endpoint, and every target {@code managed: false}
     * (Personae's targets are publications, never managed).
     */
    private ObjectNode view(Stored s) {
        ObjectNode v = s.view();
        if (s.type() == ResourceType.TARGETS) v.put("managed", false);
        if (s.type() == ResourceType.DATASETS && v.path("output_to_streams").isObject()) {
            // the read-only id of each stream the dataset writes (streams are created with the dataset)
            v.get("output_to_streams").properties().forEach(e -> {
                if (e.getValue().isObject()) resources.list(s.account(), ResourceType.STREAMS).stream()
                        .filter(st -> st.name().equals(e.getKey())).findFirst()
                        .ifPresent(st -> ((ObjectNode) e.getValue()).put("stream_id", st.id()));
            });
        }
        if (s.type() == ResourceType.TARGETS && v.path("options") instanceof ObjectNode o
                && "lookup_api".equals(o.path("type").asText())) {
            o.put("output_url", LookupRoutes.outputUrl(REQUEST.get(), s.id())); // the lookup endpoint, once created
        } else if (s.type() == ResourceType.TARGETS && s.status() == Status.READY && v.path("options").isObject()) {
            ((ObjectNode) v.get("options")).put("output_url", services.blobs()
                    .presignGet(Keys.targetOutput(s.account(), s.id()), services.settings().presignTtl()).toString());
        }
        return v;
    }

    /** The resources a scope's reference field names, in its order. */
    private ApiResponse refs(Call c, Reference reference) {
        Stored scope = resources.require(c.account(), ResourceType.SCOPES, c.param("id"));
        List<ObjectNode> out = new ArrayList<>();
        for (String id : reference.strings(scope.doc())) {
            resources.find(c.account(), reference.kind(), id).map(this::view).ifPresent(out::add);
        }
        return ok(out);
    }

    private ApiResponse emptyFor(Call c) {
        resources.require(c.account(), ResourceType.SCOPES, c.param("id"));
        return ok(List.of());
    }

    private ApiResponse renamePersona(Call c) throws IOException {
        ObjectNode body = jsonObject(c);
        Validation v = new Validation();
        v.onlyFields(body, "", List.of("name"));
        String name = v.string(body, "name", "", false);
        v.throwIfFailed();
        resources.require(c.account(), ResourceType.PERSONA_SETS, c.param("id"));
        ObjectNode[] renamed = new ObjectNode[1];
        Stored set = resources.update(c.account(), ResourceType.PERSONA_SETS, c.param("id"), s -> {
            renamed[0] = null;
            for (JsonNode p : s.doc().path("personas")) {
                if (p.path("id").asText().equals(c.param("persona_id"))) {
                    if (name != null) {
                        ((ObjectNode) p).put("name", name);
                        s.internal().with(PersonaSetBuild.RENAMED).put(c.param("persona_id"), name);
                    }
                    renamed[0] = ((ObjectNode) p).deepCopy();
                }
            }
        }).orElseThrow(() -> ApiError.notFound("No persona set with id " + c.param("id")));
        if (renamed[0] == null) throw ApiError.notFound("No persona with id " + c.param("persona_id") + " in persona set " + c.param("id"));
        if (name != null) builds.rebuildDependents(set); // the scopes' CSVs carry persona names
        return ok(renamed[0]);
    }

    // ------------------------------------------------------------------ streams

    /** Datasets create the streams they output to. */
    private void ensureStreams(String account, JsonNode dataset) {
        Iterator<String> names = dataset.path("output_to_streams").fieldNames();
        while (names.hasNext()) stream(account, names.next(), true);
    }

    /**
     * A stream by id or name, created when asked and absent. A stream's id is derived from its account and name, so
     * creators racing in different Lambdas write the same id: the store's conditional create lets one win, and the
     * others return the winner's stream. Streams stored before ids were derived are still found by name.
     */
    private Stored stream(String account, String idOrName, boolean create) {
        String derivedId = UUID.nameUUIDFromBytes(("stream\u0000" + account + "\u0000" + idOrName)
                .getBytes(StandardCharsets.UTF_8)).toString();
        for (int attempt = 0; ; attempt++) {
            if (idOrName.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) { // stream ids are UUIDs
                var byId = resources.find(account, ResourceType.STREAMS, idOrName);
                if (byId.isPresent()) return byId.get();
            }
            var byDerivedId = resources.find(account, ResourceType.STREAMS, derivedId);
            if (byDerivedId.isPresent() && idOrName.equals(byDerivedId.get().name())) return byDerivedId.get();
            for (Stored s : resources.list(account, ResourceType.STREAMS)) {
                if (idOrName.equals(s.name())) return s;
            }
            if (!create) throw ApiError.notFound("No stream with id or name '" + personae.core.Limits.excerpt(idOrName) + "'");
            if (idOrName.isBlank()) throw ApiError.badRequest("A stream name must not be blank");
            ObjectNode fields = Json.object();
            fields.put("name", idOrName);
            try {
                return resources.create(account, ResourceType.STREAMS, derivedId, fields);
            } catch (Problem e) {
                // another creator got there first: find theirs (unless it was deleted at once, then create again)
                if (e.kind() != Problem.Kind.CONFLICT || attempt >= 2) throw e;
            }
        }
    }

    /** A stream with its properties, derived from every dataset that outputs to it. */
    /**
     * A stream is not built itself: its status is that of the datasets feeding it, {@code ready} once one of them is
     * (its events can be read), else the furthest along of theirs, and {@code new} while none feeds it.
     */
    private ObjectNode streamView(Stored s) {
        ObjectNode v = s.view();
        List<Stored> feeding = graph.datasetsFeeding(s.account(), s.name());
        Status status = feeding.stream().map(Stored::status).filter(java.util.Objects::nonNull)
                .max(java.util.Comparator.comparingInt(PersonaeApi::progress)).orElse(Status.NEW);
        v.put("status", status.wire());
        ObjectNode props = v.putObject("properties");
        for (Stored ds : feeding) {
            ds.doc().path("output_to_streams").path(s.name()).path("data_map").properties().forEach(e -> {
                ObjectNode p = props.has(e.getKey()) ? (ObjectNode) props.get(e.getKey()) : props.putObject(e.getKey());
                String format = Json.text(e.getValue(), "format");
                p.put("type", e.getKey().equals("datetime") ? "date"
                        : e.getKey().equals("value") || (format != null && format.startsWith("currency")) ? "double" : "string");
                p.put("statistical_type", p.path("type").asText().equals("string") ? "categorical" : "ordinal");
                ArrayNode by = p.has("emitted_by_datasets") ? (ArrayNode) p.get("emitted_by_datasets") : p.putArray("emitted_by_datasets");
                by.addObject().put("dataset_id", ds.id()).put("column_name", e.getValue().path("column_name").asText());
            });
        }
        return v;
    }

    // ------------------------------------------------------------------ helpers

    static ApiResponse ok(Object value) {
        return ApiResponse.json(200, Json.write(value));
    }

    private static ObjectNode jsonObject(Call c) throws IOException {
        return JsonBodies.readObject(c.request().body());
    }

    static Map<String, String> csvHeaders() {
        return Map.of("Content-Type", "text/csv; charset=utf-8");
    }
}
