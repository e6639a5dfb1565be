package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import personae.core.account.Accounts;
import personae.core.pipeline.Keys;
import personae.core.port.MetadataStore;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local runtime's account: a UUID, a data directory of the "local" days migrated to it, and the deletion sweep. */
class LocalAccountTest {

    static Path freshDir(String name) throws Exception {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
    }

    @Test
    void aDataDirectoryWhoseAccountIsLocalStillOpensWithTheSameKeyUnderAUuid() throws Exception {
        Path dir = freshDir("personae-migrate-");
        Tutorial.Ids ids;
        String csv, upload;
        String key;
        try (LocalRuntime first = LocalRuntime.start(LocalRuntime.Config.forTests(dir, null))) {
            key = first.apiKey(); // the generated key, kept in the data directory (the README's local key)
            Tutorial t = new Tutorial(first.baseUrl(), key);
            assertEquals(200, t.upload("orders", "orders.csv", TutorialEndToEndTest.SAMPLE).status());
            ids = t.createAll(true);
            t.awaitAll(ids, Duration.ofMinutes(3));
            csv = t.get("/targets/" + ids.target() + "/download.csv").body();
            upload = t.get("/uploads/orders/orders.csv").body();
            // make the directory look like one written before account ids were UUIDs: everything under "local",
            // the key pointing at it, an account document without status or recorded key hashes, no account-id file
            String uuid = first.accountId();
            assertTrue(Accounts.isUuid(uuid), "a new data directory gets a UUID account: " + uuid);
            LocalAccount.migrate(first.services(), uuid, LocalRuntime.LEGACY_ACCOUNT);
            MetadataStore m = first.services().metadata();
            m.putKeyHash(Accounts.keyHash(key), LocalRuntime.LEGACY_ACCOUNT);
            MetadataStore.Item legacy = m.get("local", "accounts", "local").orElseThrow();
            ObjectNode doc = Json.readObject(legacy.json());
            doc.remove(List.of("_internal", "status", "status_changed_at"));
            assertTrue(m.replace(legacy.withJson(Json.write(doc)), legacy.version()));
            Files.delete(dir.resolve(LocalAccount.FILE));
            assertTrue(first.services().blobs().list(Keys.uploads(uuid)).isEmpty(), "nothing is left under the UUID");
        }
        try (LocalRuntime again = LocalRuntime.start(LocalRuntime.Config.forTests(dir, null))) {
            assertEquals(key, again.apiKey());
            String id = again.accountId();
            assertTrue(Accounts.isUuid(id), "the migrated account has a UUID: " + id);
            assertEquals(id, Files.readString(dir.resolve(LocalAccount.FILE)).trim(), "kept in the data directory");
            Tutorial t = new Tutorial(again.baseUrl(), key);
            JsonNode current = t.get("/accounts/current").json();
            assertEquals(id, current.path("id").asText(), "the same key opens the migrated account");
            assertEquals("ready", current.path("status").asText());
            assertEquals(csv, t.get("/targets/" + ids.target() + "/download.csv").body(), "its target's CSV is there");
            assertEquals(upload, t.get("/uploads/orders/orders.csv").body(), "its upload reads the same bytes");
            assertEquals("ready", t.get("/persona_sets/" + ids.personaSet()).json().path("status").asText());
            MetadataStore m = again.services().metadata();
            for (ResourceType type : ResourceType.values()) {
                assertEquals(List.of(), m.list("local", type.wire()), "no " + type.wire() + " is left under 'local'");
            }
            for (String prefix : Keys.accountPrefixes("local")) {
                assertEquals(List.of(), again.services().blobs().list(prefix), "no file is left under " + prefix);
            }
        }
        try (LocalRuntime third = LocalRuntime.start(LocalRuntime.Config.forTests(dir, "another-key-0123456789"))) {
            assertEquals(Files.readString(dir.resolve(LocalAccount.FILE)).trim(), third.accountId(),
                    "another PERSONAE_API_KEY still opens the directory's account");
        }
    }

    @Test
    void theRuntimesSchedulerRemovesADeletedSubaccountAfterTheGracePeriod() throws Exception {
        Path dir = freshDir("personae-sweep-");
        String key = "sweep-test-key-0123456789";
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dir, key)
                .withAccountDeletion(Duration.ofSeconds(1), Duration.ofMillis(200)))) {
            Tutorial parent = new Tutorial(runtime.baseUrl(), key);
            assertEquals(200, parent.upload("orders", "orders.csv", TutorialEndToEndTest.SAMPLE).status());
            JsonNode sub = parent.postJson("/accounts", "{\"name\": \"Short-lived\"}").json();
            String id = sub.path("id").asText();
            Tutorial child = new Tutorial(runtime.baseUrl(), sub.path("api_key").asText());
            assertEquals(200, child.upload("orders", "orders.csv", TutorialEndToEndTest.SAMPLE).status());
            assertFalse(runtime.services().blobs().list(Keys.uploads(id)).isEmpty());
            assertEquals(202, parent.send("DELETE", "/accounts/" + id, null, null).status());
            assertEquals(401, child.get("/uploads").status(), "the deleted account's key stops working at once");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runtime.services().metadata().get(id, "accounts", id).isPresent()) {
                assertTrue(System.nanoTime() < deadline, "the sweep removed the account within 30 s");
                Thread.sleep(100);
            }
            assertEquals(List.of(), runtime.services().blobs().list(Keys.uploads(id)), "its files are gone");
            assertEquals(404, parent.get("/accounts/" + id).status());
            assertEquals(1, runtime.services().blobs().list(Keys.uploads(runtime.accountId())).size(),
                    "the parent keeps its own file");
        }
    }
}
