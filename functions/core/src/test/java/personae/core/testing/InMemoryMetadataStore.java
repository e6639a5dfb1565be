package personae.core.testing;

import personae.core.port.MetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A thread-safe, versioned {@link MetadataStore} in memory, for unit tests only: {@code create} refuses an existing
 * id, {@code replace} succeeds only while the stored version is the expected one, {@code list} is in id order.
 */
public final class InMemoryMetadataStore implements MetadataStore {

    /** account -> kind -> id -> item, ordered by id. */
    private final Map<String, Map<String, ConcurrentSkipListMap<String, Item>>> items = new ConcurrentHashMap<>();
    private final Map<String, String> accountOfKeyHash = new ConcurrentHashMap<>();

    private ConcurrentSkipListMap<String, Item> kind(String account, String kind) {
        return items.computeIfAbsent(account, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>());
    }

    @Override
    public Optional<Item> get(String account, String kind, String id) {
        return Optional.ofNullable(kind(account, kind).get(id));
    }

    @Override
    public List<Item> list(String account, String kind) {
        return new ArrayList<>(kind(account, kind).values());
    }

    @Override
    public boolean create(Item item) {
        return kind(item.account(), item.kind()).putIfAbsent(item.id(), item) == null;
    }

    @Override
    public boolean replace(Item item, long expectedVersion) {
        boolean[] replaced = {false};
        kind(item.account(), item.kind()).computeIfPresent(item.id(), (id, stored) -> {
            if (stored.version() != expectedVersion) return stored;
            replaced[0] = true;
            return item;
        });
        return replaced[0];
    }

    @Override
    public boolean delete(String account, String kind, String id) {
        return kind(account, kind).remove(id) != null;
    }

    @Override
    public List<String> accounts() {
        return items.entrySet().stream().filter(a -> a.getValue().values().stream().anyMatch(k -> !k.isEmpty()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public Optional<String> accountForKeyHash(String keyHash) {
        return Optional.ofNullable(accountOfKeyHash.get(keyHash));
    }

    @Override
    public void putKeyHash(String keyHash, String account) {
        accountOfKeyHash.put(keyHash, account);
    }

    @Override
    public void deleteKeyHash(String keyHash) {
        accountOfKeyHash.remove(keyHash);
    }

    /** Number of stored documents of one kind (test helper). */
    public int count(String account, String kind) {
        return kind(account, kind).size();
    }
}
