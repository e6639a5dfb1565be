package personae.aws;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.port.MetadataStore;
import personae.core.port.MetadataStore.Item;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class DynamoMetadataStoreTest {
    static AwsEnvironment env;
    static MetadataStore store;

    @BeforeAll
    static void start() {
        env = LocalAws.freshEnvironment("meta");
        store = env.metadataStore();
    }

    @AfterAll
    static void stop() {
        if (env != null) env.close();
    }

    static Item item(String account, String kind, String id, long version, String json) {
        return new Item(account, kind, id, version, json);
    }

    @Test
    void createTableIsIdempotent() {
        DynamoMetadataStore.createTable(env.dynamoDb(), env.table());
        assertTrue(env.dynamoDb().listTables().tableNames().contains(env.table()));
    }

    @Test
    void createGetAndDuplicate() {
        Item p = item("acme", "personas", "p-1", 1, "{\"id\":\"p-1\",\"name\":\"Bargain hunters\"}");
        assertTrue(store.create(p));
        assertEquals(p, store.get("acme", "personas", "p-1").orElseThrow());
        assertFalse(store.create(p.withJson("{\"other\":true}")), "duplicate create refused");
        assertEquals(p, store.get("acme", "personas", "p-1").orElseThrow(), "duplicate did not overwrite");
        assertTrue(store.get("acme", "personas", "p-2").isEmpty());
        assertTrue(store.get("other-account", "personas", "p-1").isEmpty(), "accounts are isolated");
    }

    @Test
    void storedLayoutIsTheDocumentedOne() {
        store.create(item("layout", "datasets", "d-9", 3, "{\"x\":1}"));
        Map<String, AttributeValue> raw = env.dynamoDb().getItem(g -> g.tableName(env.table()).key(Map.of(
                "pk", AttributeValue.fromS("account#layout"), "sk", AttributeValue.fromS("datasets#d-9")))).item();
        assertEquals("{\"x\":1}", raw.get("doc").s());
        assertEquals("3", raw.get("version").n());
    }

    @Test
    void listIsInIdOrderAndIsolatesKinds() {
        for (String id : List.of("c", "a", "b", "B", "a-2")) {
            assertTrue(store.create(item("lister", "personas", id, 1, "{\"id\":\"" + id + "\"}")));
        }
        store.create(item("lister", "persona_sets", "z", 1, "{}"));   // kind sharing a prefix
        store.create(item("lister", "personasX", "y", 1, "{}"));      // another one
        store.create(item("lister", "cohorts", "a", 1, "{}"));
        store.create(item("lister-2", "personas", "q", 1, "{}"));     // account sharing a prefix
        assertEquals(List.of("B", "a", "a-2", "b", "c"),
                store.list("lister", "personas").stream().map(Item::id).toList());
        assertEquals(List.of("a"), store.list("lister", "cohorts").stream().map(Item::id).toList());
        assertEquals(List.of("z"), store.list("lister", "persona_sets").stream().map(Item::id).toList());
        assertEquals(List.of(), store.list("lister", "traits"));
        Item c = store.list("lister", "personas").getLast();
        assertEquals(new Item("lister", "personas", "c", 1, "{\"id\":\"c\"}"), c);
    }

    @Test
    void listFollowsPagesOfLargeDocuments() {
        // a Query page stops at 1 MB: 12 x ~200 KB needs at least 3 pages
        String big = "{\"blob\":\"" + "x".repeat(200_000) + "\"}";
        IntStream.range(0, 12).forEach(i ->
                assertTrue(store.create(item("pages", "datasets", String.format("d%02d", i), 1, big))));
        List<Item> all = store.list("pages", "datasets");
        assertEquals(12, all.size());
        assertEquals("d00", all.getFirst().id());
        assertEquals("d11", all.getLast().id());
        assertEquals(big, all.get(5).json());
    }

    @Test
    void accountsAreEveryAccountWithDocumentsAcrossScanPagesAndNeverAnApiKey() {
        try (AwsEnvironment own = LocalAws.freshEnvironment("accounts")) {
            MetadataStore s = own.metadataStore();
            assertEquals(List.of(), s.accounts(), "an empty table has no account");
            // ~200 KB documents: a Scan page stops at 1 MB read, so 12 of them need several pages
            String big = "{\"blob\":\"" + "x".repeat(200_000) + "\"}";
            IntStream.range(0, 12).forEach(i -> assertTrue(s.create(item("acct-" + (i % 3), "datasets", "d" + i, 1, big))));
            s.create(item("zeta", "accounts", "zeta", 1, "{}"));
            s.putKeyHash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "only-a-key");
            assertEquals(List.of("acct-0", "acct-1", "acct-2", "zeta"), s.accounts(),
                    "each account that holds a document, once, in id order; an API key alone is no account");
        }
    }

    @Test
    void replaceNeedsTheExpectedVersion() {
        Item v1 = item("acme", "datasets", "ds-1", 1, "{\"v\":1}");
        assertTrue(store.create(v1));
        Item v2 = v1.withJson("{\"v\":2}");
        assertEquals(2, v2.version());
        assertTrue(store.replace(v2, 1));
        assertEquals(v2, store.get("acme", "datasets", "ds-1").orElseThrow());

        Item stale = v1.withJson("{\"v\":\"stale\"}");
        assertFalse(store.replace(stale, 1), "someone wrote in between");
        assertEquals(v2, store.get("acme", "datasets", "ds-1").orElseThrow());

        assertFalse(store.replace(item("acme", "datasets", "gone", 2, "{}"), 1), "missing item");
        assertTrue(store.get("acme", "datasets", "gone").isEmpty(), "replace does not create");
    }

    @Test
    void deleteReportsWhetherThereWasOne() {
        assertTrue(store.create(item("acme", "scopes", "s-1", 1, "{}")));
        assertTrue(store.delete("acme", "scopes", "s-1"));
        assertTrue(store.get("acme", "scopes", "s-1").isEmpty());
        assertFalse(store.delete("acme", "scopes", "s-1"));
        assertTrue(store.create(item("acme", "scopes", "s-1", 1, "{}")), "can be created again");
    }

    @Test
    void apiKeys() {
        String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assertTrue(store.accountForKeyHash(hash).isEmpty());
        store.putKeyHash(hash, "acme");
        assertEquals("acme", store.accountForKeyHash(hash).orElseThrow());
        store.putKeyHash(hash, "acme-2");
        assertEquals("acme-2", store.accountForKeyHash(hash).orElseThrow());
        assertTrue(store.accountForKeyHash(hash.replace('9', '8')).isEmpty());
        // API key items never show up as documents
        assertEquals(List.of(), store.list("acme-2", "apikey"));
        store.deleteKeyHash(hash);
        assertTrue(store.accountForKeyHash(hash).isEmpty(), "a forgotten key authenticates nobody");
        store.deleteKeyHash(hash); // forgetting an unknown key is not an error
    }

    @Test
    void rejectsAmbiguousKeys() {
        assertThrows(IllegalArgumentException.class, () -> store.get("acme", "per#sonas", "x"));
        assertThrows(IllegalArgumentException.class, () -> store.get("", "personas", "x"));
        assertThrows(IllegalArgumentException.class, () -> store.create(item("acme", "personas", "", 1, "{}")));
    }
}
