package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.testing.InMemoryMetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document served at {@code GET /v1/openapi.json} is the API the server implements: its paths and
 * methods are the Router's routes, its request bodies the fields Specs accepts, its required fields the ones the
 * server requires, and it is valid OpenAPI 3.1. Fails when the server and {@code openapi-source.json} drift apart.
 */
class OpenApiTest {

    private final ApiFixture fixture = new ApiFixture(new InMemoryMetadataStore());

    private static final List<ResourceType> KINDS_WITH_BODIES = List.of(ResourceType.DATASETS, ResourceType.COHORTS,
            ResourceType.PERSONA_SETS, ResourceType.SCOPES, ResourceType.TARGETS, ResourceType.TRAITS);

    private JsonNode served() {
        ApiResponse r = fixture.api.handle(ApiRequest.of("GET", OpenApi.PATH, Map.of(), null));
        assertEquals(200, r.status(), "the document is served without an API key: " + r.bodyText());
        return Json.read(r.bodyText());
    }

    private static Set<String> operations(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        doc.path("paths").properties().forEach(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> out.add(m.toUpperCase() + " " + p.getKey())));
        return out;
    }

    @Test
    void everyRouteTheServerKnowsIsInTheDocumentAndNothingElseIs() {
        Set<String> routes = new TreeSet<>();
        fixture.api.routeTable().forEach(e -> routes.add(e.method() + " " + e.pattern()));
        assertTrue(routes.size() > 40, "the API has its routes (" + routes.size() + ")");
        assertEquals(routes, operations(served()), "the document's operations are exactly the Router's routes");
    }

    @Test
    void theHandWrittenPartDescribesEveryRouteAndFieldAndNothingTheServerLacks() {
        assertEquals(List.of(), new OpenApi(fixture.api.routeTable()).drift(),
                "openapi-source.json describes every route and accepted field, and nothing else");
    }

    @Test
    void aRouteOrFieldWithoutADescriptionAndADescriptionOfNothingAreDrift() {
        List<Router.Endpoint> routes = new ArrayList<>(fixture.api.routeTable());
        Router.Endpoint dropped = routes.stream().filter(e -> e.pattern().equals("/v1/streams")).findFirst().orElseThrow();
        routes.remove(dropped);
        routes.add(new Router.Endpoint("POST", "/v1/targets/{id}/undocumented"));
        List<String> drift = new OpenApi(routes).drift();
        assertTrue(drift.stream().anyMatch(d -> d.contains("POST /v1/targets/{id}/undocumented") && d.contains("no entry")),
                "a route without a description is drift: " + drift);
        assertTrue(drift.stream().anyMatch(d -> d.contains("GET /v1/streams") && d.contains("does not route")),
                "a description of a route the server lacks is drift: " + drift);
    }

    @Test
    void everyFieldSpecsAcceptsIsInTheRequestSchemaAndNoOtherIs() {
        JsonNode doc = served();
        for (ResourceType t : KINDS_WITH_BODIES) {
            String base = "/v1/" + t.wire();
            assertEquals(new TreeSet<>(OpenApi.postFields(t)), fields(doc, requestSchema(doc, base, "post", "application/json")),
                    "POST " + base + " documents exactly the fields the server accepts");
            for (String type : List.of("application/json", "application/merge-patch+json", "application/json+merge-patch")) {
                assertEquals(new TreeSet<>(OpenApi.patchFields(t)), fields(doc, requestSchema(doc, base + "/{id}", "patch", type)),
                        "PATCH " + base + "/{id} (" + type + ") documents exactly the fields the server accepts");
            }
        }
        for (ResourceType t : List.of(ResourceType.DATASETS, ResourceType.COHORTS, ResourceType.PERSONA_SETS,
                ResourceType.SCOPES, ResourceType.TARGETS)) {
            assertEquals(new TreeSet<>(Specs.of(t).postFields()), new TreeSet<>(OpenApi.postFields(t)),
                    t.wire() + ": the document's POST fields are Specs'");
            assertEquals(new TreeSet<>(Specs.of(t).patchFields()), new TreeSet<>(OpenApi.patchFields(t)),
                    t.wire() + ": the document's PATCH fields are Specs'");
        }
    }

    @Test
    void theFieldsTheDocumentRequiresOnCreateAreTheOnesTheServerRequires() {
        JsonNode doc = served();
        for (ResourceType t : KINDS_WITH_BODIES) {
            String base = "/v1/" + t.wire();
            JsonNode schema = requestSchema(doc, base, "post", "application/json");
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            assertFalse(required.isEmpty(), base + ": a create body requires something");
            List<String> refused = fixture.call("POST", base, "{}").expect(400).paths();
            for (String r : required) {
                assertTrue(refused.contains("/" + r), "POST " + base + " {} is refused for the documented required '"
                        + r + "' (refused: " + refused + ")");
            }
            for (String pointer : refused) {
                String[] parts = pointer.substring(1).split("/");
                String r = "/" + parts[0];
                if (parts.length == 2) {
                    List<String> nested = new ArrayList<>();
                    schema.path("properties").path(parts[0]).path("required").forEach(n -> nested.add(n.asText()));
                    assertTrue(required.contains(parts[0]) && nested.contains(parts[1]), "POST " + base + " {} is refused for '"
                            + pointer + "', which the document must mark required in a required " + parts[0]);
                    continue;
                }
                // a field the server fills in from another (a dataset's name from its upload directory) is not
                // required, but the document says so
                boolean defaulted = schema.path("properties").path(r.substring(1)).path("description").asText()
                        .startsWith("Defaults to");
                assertTrue(required.contains(r.substring(1)) || defaulted, "POST " + base + " {} is refused for '" + r
                        + "', which the document must mark required or say what it defaults to (required: " + required + ")");
            }
        }
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(Json.write(served()), null, options);
        assertEquals(List.of(), result.getMessages(), "the document parses as OpenAPI without messages");
        assertEquals(SpecVersion.V31, result.getOpenAPI().getSpecVersion(), "it is OpenAPI 3.1");
        assertEquals(operations(served()).size(), result.getOpenAPI().getPaths().values().stream()
                .mapToInt(p -> p.readOperations().size()).sum(), "the parser reads every operation");
    }

    @Test
    void theDocumentNeedsNoKeyNamesNoAccountAndEveryOtherRouteNeedsTheKey() {
        String doc = Json.write(served());
        assertFalse(doc.contains(ApiFixture.ACCOUNT) || doc.contains("Fixture account") || doc.contains(ApiFixture.KEY),
                "the public document names no account and no key");
        JsonNode parsed = Json.read(doc);
        assertEquals("bearer", parsed.path("components").path("securitySchemes").path("bearer").path("scheme").asText(),
                "the API key is a Bearer token");
        parsed.path("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            boolean open = op.getValue().path("security").isArray() && op.getValue().path("security").isEmpty();
            assertEquals(p.getKey().equals(OpenApi.PATH), open, op.getKey() + " " + p.getKey()
                    + ": only the document itself is documented as public");
        }));
        ApiResponse datasets = fixture.api.handle(ApiRequest.of("GET", "/v1/datasets", Map.of(), null));
        assertEquals(401, datasets.status(), "other routes still need the key");
        ApiResponse preflight = fixture.api.handle(ApiRequest.of("OPTIONS", OpenApi.PATH, Map.of(), null));
        assertEquals(401, preflight.status(), "only GET of the document is public, like a CORS preflight elsewhere");
    }

    private static JsonNode requestSchema(JsonNode doc, String path, String method, String type) {
        JsonNode schema = doc.path("paths").path(path).path(method).path("requestBody").path("content").path(type).path("schema");
        assertTrue(schema.has("$ref"), method + " " + path + " has a " + type + " body schema");
        String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
        JsonNode resolved = doc.path("components").path("schemas").path(name);
        assertFalse(resolved.path("additionalProperties").asBoolean(true), name + " rejects unknown fields, as the server does");
        return resolved;
    }

    private static Set<String> fields(JsonNode doc, JsonNode schema) {
        Set<String> out = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(out::add);
        return out;
    }
}
