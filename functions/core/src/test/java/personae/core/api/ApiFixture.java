package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.Services;
import personae.core.port.MetadataStore;
import personae.core.resource.Json;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One account's API over a given metadata store, with in-memory blobs: calls answer status and body. */
final class ApiFixture {

    static final String KEY = "fixture-key-0123456789";
    static final String ACCOUNT = "acct-fixture";

    final Services services;
    final PersonaeApi api;

    ApiFixture(MetadataStore metadata) {
        this(servicesOver(metadata));
    }

    private ApiFixture(Services services) {
        this.services = services;
        PersonaeApi.ensureAccount(services, ACCOUNT, "Fixture account", KEY);
        this.api = new PersonaeApi(services);
    }

    /** Another API instance (another Lambda) over the same stores. */
    ApiFixture another() {
        return new ApiFixture(services);
    }

    private static Services servicesOver(MetadataStore metadata) {
        Clock clock = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);
        return new Services(metadata, new InMemoryBlobStore(clock), new RecordingWorkflowStarter(), clock,
                new Services.Settings(5L << 20, -1, Duration.ofHours(1), Duration.ofMillis(10), null));
    }

    record Answer(int status, String body) {
        JsonNode json() {
            return Json.read(body);
        }

        Answer expect(int expected) {
            assertEquals(expected, status, body);
            return this;
        }

        /** The JSON pointers of the validation errors. */
        List<String> paths() {
            List<String> out = new ArrayList<>();
            json().path("validationErrors").forEach(e -> out.add(e.path("path").asText()));
            return out;
        }
    }

    Answer call(String method, String path, String body) {
        ApiResponse r = api.handle(ApiRequest.of(method, path, Map.of("Authorization", "Bearer " + KEY),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
        return new Answer(r.status(), r.bodyText());
    }
}
