package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.account.Accounts;
import personae.core.pipeline.Keys;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subaccounts, keys shown once, renames, key rotation and deletion after the grace period, through the API. */
class AccountsApiTest {

    static final String ROOT = "11111111-2222-4333-8444-555555555555";
    static final String ROOT_KEY = "root-key-0123456789";

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    MovableClock clock;
    InMemoryMetadataStore metadata;
    InMemoryBlobStore blobs;
    Services services;
    PersonaeApi api;

    @BeforeEach
    void setUp() {
        clock = new MovableClock();
        metadata = new InMemoryMetadataStore();
        blobs = new InMemoryBlobStore(clock);
        services = new Services(metadata, blobs, new RecordingWorkflowStarter(), clock, Services.Settings.local());
        PersonaeApi.ensureAccount(services, ROOT, "Root", ROOT_KEY);
        api = new PersonaeApi(services);
    }

    record Answer(int status, String body) {
        JsonNode json() { return Json.read(body); }

        Answer expect(int s) {
            assertEquals(s, status, body);
            return this;
        }
    }

    Answer call(String key, String method, String path, String body) {
        ApiResponse r = api.handle(ApiRequest.of(method, path, Map.of("authorization", "Bearer " + key,
                "content-type", "application/json"), body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
        return new Answer(r.status(), new String(r.bodyBytes(), StandardCharsets.UTF_8));
    }

    JsonNode createSub(String name) {
        return call(ROOT_KEY, "POST", "/v1/accounts", "{\"name\": \"" + name + "\"}").expect(201).json();
    }

    @Test
    void aSubaccountHasAUuidAParentAndAKeyShownOnceThatOnlyItsHashIsStored() {
        JsonNode sub = createSub("Shop A");
        String id = sub.path("id").asText(), key = sub.path("api_key").asText();
        assertTrue(Accounts.isUuid(id), "account ids are UUIDs: " + id);
        assertEquals(ROOT, sub.path("parent_account_id").asText(), "a subaccount names its parent");
        assertEquals("ready", sub.path("status").asText(), "Account.status is a ResourceStatus");
        assertEquals("accounts", sub.path("resource_type").asText());
        assertEquals(id, metadata.accountForKeyHash(Accounts.keyHash(key)).orElseThrow(), "the key authenticates the subaccount");
        assertFalse(metadata.get(id, "accounts", id).orElseThrow().json().contains(key), "the key itself is not stored");
        JsonNode seen = call(key, "GET", "/v1/accounts/current", null).expect(200).json();
        assertEquals(id, seen.path("id").asText());
        assertFalse(seen.has("api_key"), "the key is shown only when it is created");
        assertFalse(call(ROOT_KEY, "GET", "/v1/accounts/" + id, null).expect(200).json().has("api_key"));
    }

    @Test
    void theListIsTheCallersAccountThenItsSubaccountsAndASubaccountSeesOnlyItself() {
        String a = createSub("A").path("id").asText();
        JsonNode b = createSub("B");
        List<String> ids = ids(call(ROOT_KEY, "GET", "/v1/accounts", null).expect(200).json());
        assertEquals(List.of(ROOT, a, b.path("id").asText()), ids, "own account first, then subaccounts in creation order");
        assertEquals(List.of(b.path("id").asText()), ids(call(b.path("api_key").asText(), "GET", "/v1/accounts", null).json()),
                "a subaccount lists only itself");
        call(b.path("api_key").asText(), "GET", "/v1/accounts/" + a, null).expect(404);
        call(b.path("api_key").asText(), "GET", "/v1/accounts/" + ROOT, null).expect(404);
        call(b.path("api_key").asText(), "POST", "/v1/accounts", "{\"name\": \"C\"}").expect(403);
    }

    @Test
    void patchRenamesAndRejectsOtherFields() {
        String id = createSub("Old").path("id").asText();
        assertEquals("New", call(ROOT_KEY, "PATCH", "/v1/accounts/" + id, "{\"name\": \"New\"}").expect(200).json().path("name").asText());
        assertEquals("New", call(ROOT_KEY, "GET", "/v1/accounts/" + id, null).json().path("name").asText());
        call(ROOT_KEY, "PATCH", "/v1/accounts/" + id, "{\"parent_account_id\": \"x\"}").expect(400);
        call(ROOT_KEY, "PATCH", "/v1/accounts/current", "{\"name\": \"Root renamed\"}").expect(200);
        assertEquals("Root renamed", call(ROOT_KEY, "GET", "/v1/accounts/current", null).json().path("name").asText());
        call(ROOT_KEY, "POST", "/v1/accounts", "{}").expect(400);
        call(ROOT_KEY, "POST", "/v1/accounts", "{\"name\": \"  \"}").expect(400);
    }

    @Test
    void rotatingAKeyReturnsANewOneOnceAndTheOldOneStopsWorking() {
        JsonNode sub = createSub("Rotating");
        String id = sub.path("id").asText(), old = sub.path("api_key").asText();
        String fresh = call(ROOT_KEY, "POST", "/v1/accounts/" + id + "/api_key", null).expect(200).json().path("api_key").asText();
        assertNotEquals(old, fresh);
        call(old, "GET", "/v1/accounts/current", null).expect(401);
        assertEquals(id, call(fresh, "GET", "/v1/accounts/current", null).expect(200).json().path("id").asText());
        // the root rotates its own key, which it got before hashes were recorded in the account (ensureAccount)
        String rootFresh = call(ROOT_KEY, "POST", "/v1/accounts/current/api_key", null).expect(200).json().path("api_key").asText();
        call(ROOT_KEY, "GET", "/v1/accounts/current", null).expect(401);
        call(rootFresh, "GET", "/v1/accounts/" + id, null).expect(200);
    }

    @Test
    void aDeletedAccountLosesItsKeysAtOnceAndItsDataOnlyAfterTheGracePeriod() throws Exception {
        JsonNode sub = createSub("Doomed");
        String id = sub.path("id").asText(), key = sub.path("api_key").asText();
        call(key, "POST", "/v1/uploads/orders/a.csv", "email\nx@example.com\n").expect(200);
        call(key, "POST", "/v1/cohorts", "{\"name\": \"C\", \"stream_name\": \"orders\"}").expect(201);
        try (OutputStream out = blobs.create(Keys.scopeOutput(id, "s-1"))) {
            out.write(1);
        }
        String keep = createSub("Kept").path("api_key").asText();
        call(keep, "POST", "/v1/uploads/orders/a.csv", "email\ny@example.com\n").expect(200);

        assertEquals(202, call(ROOT_KEY, "DELETE", "/v1/accounts/" + id, null).status(), "deletion is accepted, not done");
        call(key, "GET", "/v1/accounts/current", null).expect(401);
        assertTrue(call(ROOT_KEY, "GET", "/v1/accounts/" + id, null).expect(200).json().has(Accounts.DELETION_REQUESTED_AT),
                "the parent sees the pending deletion");
        call(ROOT_KEY, "PATCH", "/v1/accounts/" + id, "{\"name\": \"Saved\"}").expect(409);

        Accounts accounts = new Accounts(services);
        clock.now = clock.now.plus(Duration.ofHours(23));
        assertEquals(List.of(), accounts.sweep(Duration.ofHours(24)), "nothing is removed within the grace period");
        assertFalse(blobs.list(Keys.uploads(id)).isEmpty());

        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(List.of(id), accounts.sweep(Duration.ofHours(24)));
        for (String prefix : Keys.accountPrefixes(id)) assertEquals(List.of(), blobs.list(prefix), "no file left under " + prefix);
        for (ResourceType t : ResourceType.values()) assertEquals(0, metadata.count(id, t.wire()), "no " + t.wire() + " document left");
        assertTrue(metadata.accounts().stream().noneMatch(id::equals), "the account is gone");
        call(ROOT_KEY, "GET", "/v1/accounts/" + id, null).expect(404);
        assertEquals(2, call(ROOT_KEY, "GET", "/v1/accounts", null).json().size(), "the parent no longer lists it");
        assertFalse(blobs.list(Keys.uploads(metadata.accountForKeyHash(Accounts.keyHash(keep)).orElseThrow())).isEmpty(),
                "a sibling's data is untouched");
        assertEquals(List.of(), accounts.sweep(Duration.ZERO), "the request is done");
    }

    @Test
    void deletingAnAccountDeletesItsSubaccountsToo() {
        String id = createSub("Child").path("id").asText();
        call(ROOT_KEY, "DELETE", "/v1/accounts/current", null).expect(202);
        call(ROOT_KEY, "GET", "/v1/accounts/current", null).expect(401);
        assertEquals(java.util.Set.of(ROOT, id), java.util.Set.copyOf(new Accounts(services).sweep(Duration.ZERO)),
                "the subaccount goes with its parent");
        assertTrue(metadata.accounts().isEmpty(), "nothing is left of either: " + metadata.accounts());
    }

    private static List<String> ids(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> n.path("id").asText()).toList();
    }
}
