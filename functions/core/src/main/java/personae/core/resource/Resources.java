package personae.core.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.port.MetadataStore;
import personae.core.port.MetadataStore.Item;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Resource documents on top of the {@link MetadataStore}: ids, the common read-only fields (RES), status changes with
 * optimistic concurrency. A document is the resource exactly as the API shows it, plus an {@value #INTERNAL} object
 * that is never shown.
 */
public final class Resources {

    /** Field holding server-side state that the API never shows. */
    public static final String INTERNAL = "_internal";

    private final MetadataStore store;
    private final Clock clock;

    public Resources(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A stored resource: its document and the store item it came from (for versioned writes). */
    public record Stored(Item item, ObjectNode doc) {
        public String id() { return item.id(); }

        public String account() { return item.account(); }

        public ResourceType type() { return ResourceType.fromWire(item.kind()).orElseThrow(); }

        public Status status() {
            String s = Json.text(doc, "status");
            return s == null ? null : Status.fromWire(s);
        }

        public String name() { return Json.text(doc, "name"); }

        /** Server-side state, created on first use. */
        public ObjectNode internal() {
            return doc.has(INTERNAL) ? (ObjectNode) doc.get(INTERNAL) : doc.putObject(INTERNAL);
        }

        /** The document as the API shows it. */
        public ObjectNode view() {
            ObjectNode copy = doc.deepCopy();
            copy.remove(INTERNAL);
            return copy;
        }
    }

    public String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public Clock clock() {
        return clock;
    }

    /** Creates a resource from the user's fields, adding id, timestamps, resource_type and (if built) status new. */
    public Stored create(String account, ResourceType type, ObjectNode fields) {
        return create(account, type, UUID.randomUUID().toString(), fields);
    }

    public Stored create(String account, ResourceType type, String id, ObjectNode fields) {
        String now = now();
        ObjectNode doc = Json.object();
        doc.put("id", id);
        doc.put("resource_type", type.wire());
        doc.put("created_at", now);
        doc.put("updated_at", now);
        if (type.isBuilt()) {
            doc.put("status", Status.NEW.wire());
            doc.put("status_changed_at", now);
            doc.put("last_updated_config_at", now);
        }
        doc.setAll(fields);
        if (!storable(id)) {
            throw Problem.invalid("the id '" + Limits.excerpt(id) + "' cannot be stored: ids are 1 to "
                    + Limits.MAX_ID_BYTES + " bytes");
        }
        Item item = new Item(account, type.wire(), id, 1, bounded(type, id, Json.write(doc)));
        if (!store.create(item)) throw Problem.conflict("a " + type.noun() + " with id " + id + " already exists");
        return new Stored(item, doc);
    }

    public Optional<Stored> find(String account, ResourceType type, String id) {
        if (!storable(id)) return Optional.empty(); // no such key can exist: do not ask the store
        return store.get(account, type.wire(), id).map(i -> new Stored(i, Json.readObject(i.json())));
    }

    /** The resource, or a 404 naming what was not found. */
    public Stored require(String account, ResourceType type, String id) {
        return find(account, type, id).orElseThrow(() -> Problem.notFound("No " + type.noun() + " with id " + Limits.excerpt(id)));
    }

    public List<Stored> list(String account, ResourceType type) {
        return store.list(account, type.wire()).stream().map(i -> new Stored(i, Json.readObject(i.json()))).toList();
    }

    public boolean delete(Stored s) {
        return store.delete(s.account(), s.item().kind(), s.id());
    }

    /** How long {@link #update} keeps retrying a write that other writers keep overtaking. */
    static final long UPDATE_BUDGET_NANOS = 20_000_000_000L;

    /**
     * Applies {@code change} to the latest version of the document and writes it, retrying when another writer got
     * there first (exponential backoff with full jitter, 10 ms doubling up to 1 s, for up to 20 s, so that dozens
     * of concurrent writers all get through). Returns the written resource, or empty when the resource is gone.
     * Throws a conflict {@link Problem} only when the writes keep losing for the whole budget, and a too-large one
     * when the document would exceed {@link Limits#MAX_DOCUMENT_BYTES}.
     */
    public Optional<Stored> update(String account, ResourceType type, String id, Consumer<Stored> change) {
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            Optional<Stored> current = find(account, type, id);
            if (current.isEmpty()) return Optional.empty();
            Stored s = current.get();
            change.accept(s);
            s.doc().put("updated_at", now());
            Item next = s.item().withJson(bounded(type, id, Json.write(s.doc())));
            if (store.replace(next, s.item().version())) return Optional.of(new Stored(next, s.doc()));
            if (System.nanoTime() - start > UPDATE_BUDGET_NANOS) break;
            try {
                long cap = Math.min(1_000, 10L << Math.min(attempt, 7));
                Thread.sleep(1 + ThreadLocalRandom.current().nextLong(cap));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Problem.conflict(type.noun() + " " + id + " was being changed when the request was cancelled; retry");
            }
        }
        throw Problem.conflict(type.noun() + " " + id + " is being changed by other requests at the same time; retry");
    }

    /** Whether an id can be a store key at all (1 to {@link Limits#MAX_ID_BYTES} bytes of UTF-8). */
    static boolean storable(String id) {
        return id != null && !id.isEmpty() && id.length() <= Limits.MAX_ID_BYTES
                && id.getBytes(StandardCharsets.UTF_8).length <= Limits.MAX_ID_BYTES;
    }

    /** The document's JSON, or a too-large problem naming the limit before the store refuses it in its own words. */
    private static String bounded(ResourceType type, String id, String json) {
        int bytes = json.length() <= Limits.MAX_DOCUMENT_BYTES / 3 ? json.length()
                : json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_DOCUMENT_BYTES) {
            throw Problem.tooLarge("the " + type.noun() + " " + Limits.excerpt(id) + " would take " + bytes
                    + " bytes stored, above the limit of " + Limits.MAX_DOCUMENT_BYTES + " bytes per resource;"
                    + " use fewer or shorter names, columns or values");
        }
        return json;
    }

    /** Moves a built resource to {@code status}; {@code error} is kept only for {@link Status#ERROR}. */
    public Optional<Stored> setStatus(String account, ResourceType type, String id, Status status, String error) {
        return update(account, type, id, s -> {
            ObjectNode d = s.doc();
            String now = now();
            if (!status.wire().equals(Json.text(d, "status"))) d.put("status_changed_at", now);
            d.put("status", status.wire());
            if (status == Status.ERROR) d.put("status_error", error);
            else d.remove("status_error");
            if (status == Status.READY) d.put("last_updated_output_at", now);
            if (status == Status.STARTING) d.put("last_read_input_at", now);
        });
    }
}
