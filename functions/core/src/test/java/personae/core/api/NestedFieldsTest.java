package personae.core.api;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.testing.InMemoryMetadataStore;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Nested objects reject unknown and mistyped fields, each error naming the field's JSON pointer. */
class NestedFieldsTest {

    InMemoryMetadataStore metadata;
    ApiFixture f;
    String scope;

    static final String DATASET = """
            {"name": "orders", "options": {"type": "hosted_csv", "upload_directory": "orders"},
             "identity_sets": {"customer": {"email": "email"}},
             "output_to_streams": {"orders": {"data_map": {"datetime": {"column_name": "date", "format": "yyyy_mm_dd_dash"}}}},
             "output_to_traits": {"tier": {"column_name": "tier"}}}""";

    @BeforeEach
    void setUp() {
        metadata = new InMemoryMetadataStore();
        f = new ApiFixture(metadata);
        String cohort = f.call("POST", "/v1/cohorts", "{\"name\": \"buyers\", \"stream_name\": \"orders\"}").expect(201)
                .json().path("id").asText();
        scope = f.call("POST", "/v1/scopes", "{\"name\": \"s\", \"population\": {\"cohort_ids\": [\"" + cohort
                + "\"]}, \"payload\": {}, \"preview\": false}").expect(201).json().path("id").asText();
    }

    /** A valid target body with {@code extra} (a JSON fragment starting with a comma) added. */
    String target(String extra) {
        return "{\"name\": \"t\", \"scope_id\": \"" + scope + "\", \"options\": {\"type\": \"hosted_csv\"},"
                + " \"representation\": {\"mode\": \"identified\", \"aggregate\": \"person\"}" + extra + "}";
    }

    List<String> rejected(String method, String path, String body) {
        ApiFixture.Answer a = f.call(method, path, body).expect(400);
        assertEquals("VALIDATION_FAILED", a.json().path("error").asText(), a.body());
        return a.paths();
    }

    @Test
    void aPersonaFilterThatIsNotAnArrayIsRejectedInsteadOfExportingEveryone() {
        assertEquals(List.of("/filter/persona"), rejected("POST", "/v1/targets", target(
                ", \"filter\": {\"persona\": {\"persona_set_id\": \"p\", \"persona_id\": \"x\", \"_eq\": true}}")));
        assertEquals(List.of("/filter/persona"), rejected("POST", "/v1/targets", target(", \"filter\": {\"persona\": \"x\"}")));
        assertEquals(List.of("/filter/persona/0"), rejected("POST", "/v1/targets", target(", \"filter\": {\"persona\": [\"x\"]}")));
        assertEquals(List.of("/filter/persona/0/persona"), rejected("POST", "/v1/targets", target(
                ", \"filter\": {\"persona\": [{\"persona_set_id\": \"p\", \"persona_id\": \"x\", \"_eq\": true, \"persona\": 1}]}")));
        assertEquals(List.of("/filter/trait"), rejected("POST", "/v1/targets", target(
                ", \"filter\": {\"trait\": [{\"name\": \"tier\", \"_eq\": \"G\"}]}")));
        assertEquals(0, metadata.count(ApiFixture.ACCOUNT, "targets"));
        f.call("POST", "/v1/targets", target(", \"filter\": {\"persona\": [], \"trait\": []}")).expect(201);
    }

    @Test
    void representationFieldsAreTheMode() {
        assertEquals(List.of("/representation/aggregte"), rejected("POST", "/v1/targets", target("")
                .replace("\"aggregate\": \"person\"}", "\"aggregate\": \"person\", \"aggregte\": \"person\"}")));
        assertEquals(List.of("/representation/include_geometry"), rejected("POST", "/v1/targets", target("")
                .replace("\"aggregate\": \"person\"}", "\"aggregate\": \"person\", \"include_geometry\": true}")));
        assertEquals(List.of("/representation/transform_preset"), rejected("POST", "/v1/targets", target("")
                .replace("\"aggregate\": \"person\"}", "\"aggregate\": \"person\", \"transform_preset\": \"klaviyo\"}")),
                "a platform preset Personae does not build is refused, not stored");
        f.call("POST", "/v1/targets", target("").replace("\"aggregate\": \"person\"}",
                "\"aggregate\": \"person\", \"transform_preset\": \"default\"}")).expect(201);
    }

    @Test
    void limitFieldsAreTheMethod() {
        assertEquals(List.of("/limit/treshold", "/limit/threshold"), rejected("POST", "/v1/targets",
                target(", \"limit\": {\"method\": \"row_count\", \"treshold\": 10}")));
        assertEquals(List.of("/limit/percentile_min"), rejected("POST", "/v1/targets",
                target(", \"limit\": {\"method\": \"row_count\", \"threshold\": 10, \"percentile_min\": 1}")));
        assertEquals(List.of("/limit/direction"), rejected("POST", "/v1/targets",
                target(", \"limit\": {\"method\": \"row_count\", \"threshold\": 10, \"direction\": \"up\"}")));
        assertEquals(List.of("/limit/outcome_id"), rejected("POST", "/v1/targets",
                target(", \"limit\": {\"method\": \"row_count\", \"threshold\": 10, \"outcome_id\": \"o\"}")));
        f.call("POST", "/v1/targets", target(", \"limit\": {\"method\": \"row_count\", \"threshold\": 10,"
                + " \"direction\": \"ascending\"}")).expect(201);
    }

    @Test
    void customStructureEntriesHaveTheReferencesFields() {
        assertEquals(List.of("/custom_structure/0/output_column", "/custom_structure/0/output_col"),
                rejected("POST", "/v1/targets", target(", \"custom_structure\": [{\"scope_col\": \"a\", \"output_column\": \"b\"}]")));
        assertEquals(List.of("/custom_structure/0", "/custom_structure/1/is_identity_col"),
                rejected("POST", "/v1/targets", target(", \"custom_structure\": [\"a\","
                        + " {\"scope_col\": \"a\", \"output_col\": \"b\", \"is_identity_col\": \"yes\"}]")));
        assertEquals(List.of("/custom_structure/0/aggregation"), rejected("POST", "/v1/targets", target(
                ", \"custom_structure\": [{\"scope_col\": \"a\", \"output_col\": \"b\", \"aggregation\": \"count\"}]")),
                "aggregation applies to the aggregated mode only");
        f.call("POST", "/v1/targets", target(", \"custom_structure\": [{\"scope_col\": \"email\", \"output_col\": \"Email\","
                + " \"is_identity_col\": true}]")).expect(201);
    }

    @Test
    void payloadMapIsPatchOnlyAnObjectOfStringsAndStored() {
        assertEquals(List.of("/payload_map"), rejected("POST", "/v1/targets", target(", \"payload_map\": {\"a\": \"b\"}")));
        String id = f.call("POST", "/v1/targets", target("")).expect(201).json().path("id").asText();
        assertEquals(List.of("/payload_map"), rejected("PATCH", "/v1/targets/" + id, "{\"payload_map\": [\"a\"]}"));
        assertEquals(List.of("/payload_map/a~1b", "/payload_map/c"),
                rejected("PATCH", "/v1/targets/" + id, "{\"payload_map\": {\"a/b\": 1, \"c\": {\"d\": \"e\"}, \"ok\": \"fine\"}}"));
        assertEquals("renamed", f.call("PATCH", "/v1/targets/" + id, "{\"payload_map\": {\"email\": \"renamed\"}}")
                .expect(200).json().path("payload_map").path("email").asText());
        assertEquals("renamed", f.call("GET", "/v1/targets/" + id, null).expect(200).json()
                .path("payload_map").path("email").asText());
    }

    @Test
    void datasetTraitTablesAndStoredFieldsAreTyped() {
        assertEquals(List.of("/output_to_traits/tier/transformation_table/x"), rejected("POST", "/v1/datasets",
                DATASET.replace("{\"column_name\": \"tier\"}",
                        "{\"column_name\": \"tier\", \"transformation_table\": {\"G\": \"gold\", \"*\": 0, \"x\": [1]}}")));
        assertEquals(List.of("/preview", "/upsert_columns", "/reference_key_column"), rejected("POST", "/v1/datasets",
                DATASET.replace("{\"name\": \"orders\",", "{\"name\": \"orders\", \"preview\": \"yes\","
                        + " \"upsert_columns\": \"email\", \"reference_key_column\": 3,")));
        f.call("POST", "/v1/datasets", DATASET.replace("{\"column_name\": \"tier\"}",
                "{\"column_name\": \"tier\", \"transformation_table\": {\"G\": \"gold\", \"S\": 2, \"*\": false}}")
                .replace("{\"name\": \"orders\",", "{\"name\": \"orders\", \"preview\": false, \"upsert_columns\": [\"email\"],")).expect(201);
    }
}
