package personae.core.api;

import personae.core.port.MetadataStore;
import personae.core.testing.InMemoryMetadataStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InMemoryMetadataStore} that runs a one-shot action just before (or just after) the next write (create,
 * replace or delete) of a chosen kind: what another Lambda does between this one's read and its write, or between
 * two of its writes.
 */
final class RacingMetadataStore implements MetadataStore {

    final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final AtomicReference<String> kind = new AtomicReference<>();
    private final AtomicReference<Runnable> action = new AtomicReference<>();
    private volatile boolean after;

    /** Runs {@code meanwhile} once, before the next write of {@code kind}. */
    void beforeNextWrite(String kind, Runnable meanwhile) {
        this.after = false;
        this.kind.set(kind);
        this.action.set(meanwhile);
    }

    /** Runs {@code meanwhile} once, right after the next write of {@code kind}. */
    void afterNextWrite(String kind, Runnable meanwhile) {
        this.after = true;
        this.kind.set(kind);
        this.action.set(meanwhile);
    }

    /** Whether the action ran (and is therefore spent). */
    boolean raced() {
        return action.get() == null;
    }

    private void race(String writtenKind, boolean afterWrite) {
        if (afterWrite == after && writtenKind.equals(kind.get())) {
            Runnable r = action.getAndSet(null);
            if (r != null) r.run();
        }
    }

    @Override
    public Optional<Item> get(String account, String kind, String id) {
        return store.get(account, kind, id);
    }

    @Override
    public List<Item> list(String account, String kind) {
        return store.list(account, kind);
    }

    @Override
    public List<String> accounts() {
        return store.accounts();
    }

    @Override
    public boolean create(Item item) {
        race(item.kind(), false);
        boolean done = store.create(item);
        race(item.kind(), true);
        return done;
    }

    @Override
    public boolean replace(Item item, long expectedVersion) {
        race(item.kind(), false);
        boolean done = store.replace(item, expectedVersion);
        race(item.kind(), true);
        return done;
    }

    @Override
    public boolean delete(String account, String kind, String id) {
        race(kind, false);
        boolean done = store.delete(account, kind, id);
        race(kind, true);
        return done;
    }

    @Override
    public Optional<String> accountForKeyHash(String keyHash) {
        return store.accountForKeyHash(keyHash);
    }

    @Override
    public void putKeyHash(String keyHash, String account) {
        store.putKeyHash(keyHash, account);
    }

    @Override
    public void deleteKeyHash(String keyHash) {
        store.deleteKeyHash(keyHash);
    }
}
