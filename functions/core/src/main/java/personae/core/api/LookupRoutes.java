package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.Services;
import personae.core.api.Router.Call;
import personae.core.ingest.ReferenceTable;
import personae.core.lookup.Lookup;
import personae.core.lookup.LookupCache;
import personae.core.lookup.LookupIndex;
import personae.core.pipeline.Keys;
import personae.core.port.BlobStore;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/targets/{id}/lookup} (TargetLookupRequest/Response): a lookup_api target's answer for one person,
 * from its index ({@link LookupIndex}) held in memory, loaded once per version of the target
 * ({@code last_updated_output_at}); the target's document is read again at most once a second, to see a rebuild, a
 * deletion or a change of type.
 */
final class LookupRoutes {

    /** How long answers come from memory alone before the target's version is asked again. */
    static final Duration RECHECK = Duration.ofSeconds(1);
    /** The request fields of the current reference that Personae does not serve. */
    static final List<String> UNSUPPORTED = List.of("identity_sets", "latitude", "longitude", "search_radius");
    /** The extension field naming, per persona set, the traits that placed a person the target does not know. */
    static final String PLACED_BY = "personae_placed_by";

    private final Resources resources;
    private final BlobStore blobs;
    private final LookupCache<LookupIndex> cache;
    private final LookupCache<String> accounts;
    private final LookupCache<List<ReferenceTable>> referenceTables;
    private final personae.core.pipeline.Outputs outputs;

    LookupRoutes(Services services) {
        this.resources = services.resources();
        this.blobs = services.blobs();
        this.cache = new LookupCache<>(RECHECK, services.clock());
        this.accounts = new LookupCache<>(RECHECK, services.clock());
        this.referenceTables = new LookupCache<>(RECHECK, services.clock());
        this.outputs = new personae.core.pipeline.Outputs(services);
    }

    /** Whether the request is a lookup ({@code POST /v1/targets/{id}/lookup}). */
    boolean isLookup(ApiRequest request) {
        if (!request.method().equals("POST")) return false;
        String[] segments = request.path().split("/", -1);
        return segments.length == 5 && segments[1].equals("v1") && segments[2].equals("targets")
                && !segments[3].isEmpty() && segments[4].equals("lookup");
    }

    /**
     * The account of a lookup's API key: {@code authenticate} (the API's own check) at most once a second per key, so
     * that lookups do not read the key's record on every call; a key revoked stops working within that second.
     */
    String account(ApiRequest request, java.util.function.Supplier<String> authenticate) {
        String header = request.header("authorization");
        if (header == null) return authenticate.get();
        return accounts.get(PersonaeApi.keyHash(header), authenticate, account -> account);
    }

    void addTo(Router router) {
        router.add("POST", "/v1/targets/{id}/lookup", this::lookup);
    }

    /** The lookup endpoint of a target, on the host the request came to ({@code options.output_url}). */
    static String outputUrl(ApiRequest request, String targetId) {
        String path = "/v1/targets/" + targetId + "/lookup";
        String host = request == null ? null : request.header("host");
        if (host == null || host.isBlank()) return path;
        String scheme = request.header("x-forwarded-proto");
        return (scheme == null || scheme.isBlank() ? "http" : scheme.trim()) + "://" + host.trim() + path;
    }

    /**
     * The traits the account's reference tables give the identifiers sent (by postcode, state or email domain), for
     * the traits the models read that the request does not send itself: an unknown lead is placed by its area too.
     * The tables come from memory, their list asked again at most once a second.
     */
    private void addReferenceTraits(String account, Map<String, String> identifiers, Set<String> traits,
                                    Map<String, Object> values) {
        List<ReferenceTable> tables = referenceTables.get(account, () -> outputs.referenceTablesVersion(account),
                version -> outputs.referenceTables(account));
        for (ReferenceTable t : tables) {
            String[] row = t.valuesFor(identifiers.get(ReferenceTable.PERSON_FIELD.get(t.by())));
            if (row == null) continue;
            for (int i = 0; i < row.length; i++) {
                String name = t.traits().get(i);
                if (row[i] != null && traits.contains(name) && !values.containsKey(name)) values.put(name, row[i]);
            }
        }
    }

    /** A lookup_api target has no CSV: its download and preview are a 400 naming the lookup endpoint. */
    static void refuseCsv(Stored target) {
        if ("lookup_api".equals(target.doc().path("options").path("type").asText())) {
            throw Problem.invalid("The target '" + target.name() + "' (" + target.id() + ") is a lookup_api target: it"
                    + " has no CSV; ask it about one person with POST /v1/targets/" + target.id() + "/lookup");
        }
    }

    private ApiResponse lookup(Call c) throws IOException {
        ObjectNode body = JsonBodies.readObject(c.request().body());
        LookupIndex index = index(c.account(), c.param("id"));
        Set<String> traits = Lookup.traits(index);
        Map<String, String> identifiers = new HashMap<>();
        Map<String, Object> values = new HashMap<>();
        Validation v = new Validation();
        body.properties().forEach(e -> {
            String f = e.getKey();
            JsonNode n = e.getValue();
            String path = "/" + Specs.pointerToken(f);
            if (Lookup.IDENTIFIERS.contains(f)) {
                if (n.isTextual()) identifiers.put(f, n.asText());
                else if (!n.isNull()) v.fail(path, "must be a string (send a postcode or phone as text)", "type");
            } else if (UNSUPPORTED.contains(f)) {
                v.fail(path, "is not supported by Personae: send the identifiers as flat fields ("
                        + String.join(", ", Lookup.IDENTIFIERS) + ")", "enum");
            } else if (traits.contains(f)) {
                if (n.isNumber()) values.put(f, n.doubleValue());
                else if (n.isTextual() || n.isBoolean()) values.put(f, n.asText());
                else if (!n.isNull()) v.fail(path, "must be a number or a string (a trait's value)", "type");
            } else {
                v.fail(path, "is neither an identifier (" + String.join(", ", Lookup.IDENTIFIERS) + ") nor a trait"
                        + " this target's persona sets read" + (traits.isEmpty() ? "" : " (" + Limits.excerpt(
                        String.join(", ", traits)) + ")"), "additionalProperties");
            }
        });
        v.throwIfFailed();
        addReferenceTraits(c.account(), identifiers, traits, values);
        Lookup.Answer a = Lookup.lookup(index, identifiers, values);
        ObjectNode out = body; // every field sent, unchanged, then the answer
        if (!a.found()) {
            out.put("error", Lookup.NO_MATCH);
            return PersonaeApi.ok(out);
        }
        for (int s = 0; s < index.personaSets().size(); s++) {
            int p = a.personas()[s];
            if (p < 0) continue;
            LookupIndex.PersonaSet set = index.personaSets().get(s);
            out.put(set.idColumn(), set.personaIds().get(p));
            out.put(set.nameColumn(), set.personaNames().get(p));
        }
        if (a.match() != null) {
            out.put("match_type", a.match().matchType());
        } else {
            ObjectNode placed = out.putObject(PLACED_BY);
            a.placedBy().forEach((set, used) -> used.forEach(placed.putArray(set)::add));
        }
        return PersonaeApi.ok(out);
    }

    private LookupIndex index(String account, String targetId) {
        return cache.get(account + "/" + targetId, () -> version(account, targetId), version -> load(account, targetId));
    }

    /** The version of the target's output; a 4xx when it is not a lookup target with an output. */
    private String version(String account, String targetId) {
        Stored t = resources.require(account, ResourceType.TARGETS, targetId);
        String type = t.doc().path("options").path("type").asText();
        String what = "target '" + t.name() + "' (" + t.id() + ")";
        if (!"lookup_api".equals(type)) {
            throw Problem.invalid("The " + what + " is a " + type + " target; lookups are answered by lookup_api"
                    + " targets only (create one on the same scope with {\"options\": {\"type\": \"lookup_api\"}})");
        }
        String version = Json.text(t.doc(), "last_updated_output_at");
        if (version != null) return version;
        if (t.status() == Status.ERROR) {
            throw Problem.conflict("The " + what + " failed to build (" + Json.text(t.doc(), "status_error")
                    + "); fix it and PATCH it to rebuild");
        }
        throw Problem.conflict("The " + what + " is still building (status " + t.status().wire()
                + "); it answers lookups once its status is ready");
    }

    private LookupIndex load(String account, String targetId) {
        try (InputStream in = blobs.open(Keys.targetLookupIndex(account, targetId))) {
            return LookupIndex.read(in);
        } catch (BlobStore.NotFoundException e) {
            throw Problem.conflict("The target " + targetId + " has no lookup index (it was built before Personae"
                    + " answered lookups); PATCH it, for example its name, to rebuild");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
