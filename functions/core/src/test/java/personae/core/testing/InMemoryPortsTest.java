package personae.core.testing;

import org.junit.jupiter.api.Test;
import personae.core.port.BlobStore;
import personae.core.port.MetadataStore.Item;
import personae.core.port.WorkflowStarter.BuildRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InMemoryPortsTest {

    @Test
    void blobsAppearOnCloseAndListByPrefixInKeyOrder() throws IOException {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        OutputStream out = blobs.create("a/b/2.csv");
        out.write("hello".getBytes(StandardCharsets.UTF_8));
        assertTrue(blobs.head("a/b/2.csv").isEmpty(), "not visible before close");
        assertThrows(BlobStore.NotFoundException.class, () -> blobs.open("a/b/2.csv"));
        out.close();
        out.close();
        assertEquals(5, blobs.head("a/b/2.csv").orElseThrow().size());
        assertEquals("hello", new String(blobs.open("a/b/2.csv").readAllBytes(), StandardCharsets.UTF_8));
        blobs.put("a/b/1.csv", "x");
        blobs.put("a/c/1.csv", "y");
        blobs.put("a/bb", "z");
        assertEquals(List.of("a/b/1.csv", "a/b/2.csv"), blobs.list("a/b/").stream().map(BlobStore.BlobInfo::key).toList());
        blobs.delete("a/b/1.csv");
        blobs.delete("missing");
        assertEquals(List.of("a/b/2.csv", "a/bb", "a/c/1.csv"), blobs.list("a/").stream().map(BlobStore.BlobInfo::key).toList());
        assertTrue(blobs.presignGet("a/b/2.csv", Duration.ofMinutes(5)).toString().startsWith("memory://"));
    }

    @Test
    void metadataIsVersioned() {
        InMemoryMetadataStore store = new InMemoryMetadataStore();
        Item v1 = new Item("acc", "datasets", "d1", 1, "{}");
        assertTrue(store.create(v1));
        assertFalse(store.create(v1), "same id twice");
        Item v2 = v1.withJson("{\"a\":1}");
        assertTrue(store.replace(v2, 1));
        assertFalse(store.replace(v2.withJson("{\"a\":2}"), 1), "stale version");
        assertEquals("{\"a\":1}", store.get("acc", "datasets", "d1").orElseThrow().json());
        assertEquals(2, store.get("acc", "datasets", "d1").orElseThrow().version());
        assertTrue(store.create(new Item("acc", "datasets", "a0", 1, "{}")));
        assertEquals(List.of("a0", "d1"), store.list("acc", "datasets").stream().map(Item::id).toList());
        assertTrue(store.list("other", "datasets").isEmpty());
        assertTrue(store.delete("acc", "datasets", "d1"));
        assertFalse(store.delete("acc", "datasets", "d1"));
        assertFalse(store.replace(v2, 2), "gone");
        store.create(new Item("b-acc", "cohorts", "c1", 1, "{}"));
        assertEquals(List.of("acc", "b-acc"), store.accounts(), "accounts with documents, in id order");
        store.putKeyHash("h", "acc");
        assertEquals("acc", store.accountForKeyHash("h").orElseThrow());
        assertTrue(store.accountForKeyHash("x").isEmpty());
    }

    @Test
    void workflowStarterRecords() {
        RecordingWorkflowStarter w = new RecordingWorkflowStarter();
        String first = w.startBuild(new BuildRequest("a", "datasets", "1"));
        w.startBuild(new BuildRequest("a", "cohorts", "2"));
        assertTrue(w.isRunning(first), "a started execution runs until the test ends it");
        w.finish(first);
        assertFalse(w.isRunning(first));
        assertEquals(2, w.requests().size());
        assertEquals(List.of(new BuildRequest("a", "cohorts", "2")), w.requests("cohorts"));
    }
}
