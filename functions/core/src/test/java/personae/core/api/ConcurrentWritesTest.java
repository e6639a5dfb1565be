package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two Lambdas (two API instances over one store) writing the same thing at once: each race is forced at the worst
 * moment, just before the first one's write.
 */
class ConcurrentWritesTest {

    RacingMetadataStore metadata;
    ApiFixture lambdaA;
    ApiFixture lambdaB;

    @BeforeEach
    void setUp() {
        metadata = new RacingMetadataStore();
        lambdaA = new ApiFixture(metadata);
        lambdaB = lambdaA.another();
    }

    // ---------------------------------------------------------------- streams

    @Test
    void concurrentCreatorsOfAStreamGetTheSameOne() {
        AtomicReference<ApiFixture.Answer> other = new AtomicReference<>();
        metadata.beforeNextWrite("streams", () -> other.set(lambdaB.call("POST", "/v1/streams/orders", null).expect(200)));
        JsonNode mine = lambdaA.call("POST", "/v1/streams/orders", null).expect(200).json();
        assertTrue(metadata.raced());
        assertEquals(other.get().json().path("id").asText(), mine.path("id").asText());
        assertEquals("orders", mine.path("name").asText());
        assertEquals("streams", mine.path("resource_type").asText());
        assertTrue(mine.path("properties").isObject());
        assertEquals(1, metadata.store.count(ApiFixture.ACCOUNT, "streams"));
        // found by id and by name
        assertEquals("orders", lambdaA.call("GET", "/v1/streams/" + mine.path("id").asText(), null).expect(200)
                .json().path("name").asText());
        assertEquals(mine.path("id"), lambdaB.call("GET", "/v1/streams/orders", null).expect(200).json().path("id"));
    }

    @Test
    void datasetsCreatedAtOnceOnOneStreamShareIt() {
        String dataset = """
                {"name": "%s", "options": {"type": "hosted_csv", "upload_directory": "%s"},
                 "identity_sets": {"c": {"email": "email"}},
                 "output_to_streams": {"orders": {"data_map": {"value": {"column_name": "total"}}}}}""";
        metadata.beforeNextWrite("streams", () -> lambdaB.call("POST", "/v1/datasets", dataset.formatted("b", "b")).expect(201));
        lambdaA.call("POST", "/v1/datasets", dataset.formatted("a", "a")).expect(201);
        assertTrue(metadata.raced());
        assertEquals(1, metadata.store.count(ApiFixture.ACCOUNT, "streams"));
        assertEquals(2, lambdaA.call("GET", "/v1/streams/orders", null).expect(200).json()
                .path("properties").path("value").path("emitted_by_datasets").size());
    }

    @Test
    void streamsStoredWithRandomIdsAreStillFoundByName() {
        var fields = Json.object();
        fields.put("name", "legacy");
        String id = lambdaA.services.resources().create(ApiFixture.ACCOUNT, ResourceType.STREAMS, fields).id();
        assertEquals(id, lambdaA.call("POST", "/v1/streams/legacy", null).expect(200).json().path("id").asText());
        assertEquals(id, lambdaA.call("GET", "/v1/streams/legacy", null).expect(200).json().path("id").asText());
        assertEquals("legacy", lambdaA.call("GET", "/v1/streams/" + id, null).expect(200).json().path("name").asText());
        assertEquals(1, metadata.store.count(ApiFixture.ACCOUNT, "streams"));
        lambdaA.call("DELETE", "/v1/streams/legacy", null).expect(204);
        lambdaA.call("GET", "/v1/streams/" + id, null).expect(404);
    }

    @Test
    void aStreamDeletedAndCreatedAgainByNameIsFound() {
        String id = lambdaA.call("POST", "/v1/streams/orders", null).expect(200).json().path("id").asText();
        lambdaA.call("DELETE", "/v1/streams/" + id, null).expect(204);
        lambdaA.call("GET", "/v1/streams/orders", null).expect(404);
        String again = lambdaA.call("POST", "/v1/streams/orders", null).expect(200).json().path("id").asText();
        assertEquals(again, lambdaA.call("GET", "/v1/streams/orders", null).expect(200).json().path("id").asText());
        lambdaA.call("POST", "/v1/streams/%20", null).expect(400);
    }

    // ---------------------------------------------------------------- uploads

    static final String JAN = "email,total\na@x.com,3\n";
    static final String JAN_B = "email,total\nb@x.com,4\n";
    static final String JAN_C = "email,total\nc@x.com,5\n";

    JsonNode upload(String subpath) {
        JsonNode list = lambdaA.call("GET", "/v1/uploads", null).expect(200).json();
        assertEquals(1, list.size(), list.toString());
        assertEquals(subpath, list.get(0).path("subpath").asText());
        return list.get(0);
    }

    static String md5(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aNewFileUploadedTwiceAtOnceIsRecordedOnce() throws Exception {
        metadata.beforeNextWrite("uploads", () -> lambdaB.call("POST", "/v1/uploads/orders/jan.csv", JAN_B).expect(200));
        lambdaA.call("POST", "/v1/uploads/orders/jan.csv", JAN).expect(200);
        assertTrue(metadata.raced());
        JsonNode u = upload("orders/jan.csv");
        assertEquals(md5(JAN), u.path("md5_hash").asText(), "the last writer's record");
        assertEquals(JAN.length(), u.path("file_size").asLong());
    }

    @Test
    void aReplacedFileIsNeverMissingAndConcurrentReplacementsBothSucceed() throws Exception {
        lambdaA.call("POST", "/v1/uploads/orders/jan.csv", JAN).expect(200);
        metadata.afterNextWrite("uploads", () -> {
            lambdaB.call("GET", "/v1/uploads/orders/jan.csv", null).expect(200);
            upload("orders/jan.csv");
            lambdaB.call("POST", "/v1/uploads/orders/jan.csv", JAN_C).expect(200);
        });
        lambdaA.call("POST", "/v1/uploads/orders/jan.csv", JAN_B).expect(200);
        assertTrue(metadata.raced());
        assertEquals(md5(JAN_C), upload("orders/jan.csv").path("md5_hash").asText());

        // the other order: B writes between A's read and A's write; A's write retries on the newer version
        metadata.beforeNextWrite("uploads", () -> lambdaB.call("POST", "/v1/uploads/orders/jan.csv", JAN_C).expect(200));
        lambdaA.call("POST", "/v1/uploads/orders/jan.csv", JAN).expect(200);
        assertTrue(metadata.raced());
        JsonNode u = upload("orders/jan.csv");
        assertEquals(md5(JAN), u.path("md5_hash").asText());
        assertEquals(JAN.length(), u.path("file_size").asLong());
    }
}
