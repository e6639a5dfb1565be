package personae.core.lookup;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The loaded index of each lookup target, one per target version: a request asks for its target's version at most
 * once per {@code recheck} (the answers of that window come from memory alone), a new version is loaded once, by one
 * request, while the others keep answering from the version they had (a rebuilt target swaps atomically, with no
 * request failing or waiting in between); only a target seen for the first time makes its requests wait for the load.
 */
public final class LookupCache<T> {

    private record Entry<T>(String version, T value, long checkedAt) {}

    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> loading = new ConcurrentHashMap<>();
    private final Duration recheck;
    private final Clock clock;

    public LookupCache(Duration recheck, Clock clock) {
        this.recheck = recheck;
        this.clock = clock;
    }

    /**
     * The value of {@code key}'s current version.
     *
     * @param version asked when the entry is older than {@code recheck}: the current version (it may throw, for a
     *                target that is gone or is not a lookup target, and nothing is cached)
     * @param load    loads a version
     */
    public T get(String key, Supplier<String> version, Function<String, T> load) {
        long now = clock.millis();
        Entry<T> e = entries.get(key);
        if (e != null && now - e.checkedAt() < recheck.toMillis()) return e.value();
        String current;
        try {
            current = version.get();
        } catch (RuntimeException gone) {
            entries.remove(key);
            throw gone;
        }
        if (e != null && e.version().equals(current)) {
            entries.put(key, new Entry<>(current, e.value(), now));
            return e.value();
        }
        ReentrantLock lock = loading.computeIfAbsent(key, k -> new ReentrantLock());
        if (e != null && !lock.tryLock()) return e.value(); // another request loads the new version
        if (e == null) lock.lock();
        try {
            Entry<T> again = entries.get(key);
            if (again != null && again.version().equals(current)) return again.value();
            T value = load.apply(current);
            entries.put(key, new Entry<>(current, value, clock.millis()));
            return value;
        } finally {
            lock.unlock();
        }
    }

    /** The number of versions held (one per key). */
    public int size() {
        return entries.size();
    }
}
