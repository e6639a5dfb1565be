package personae.core.lookup;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lookup cache: one load per version, the version asked at most once per window, an atomic swap. */
class LookupCacheTest {

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        long millis;

        @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }
    }

    @Test
    void aVersionIsLoadedOnceAndAskedAgainOnlyAfterTheRecheckWindow() {
        ManualClock clock = new ManualClock();
        LookupCache<String> cache = new LookupCache<>(Duration.ofSeconds(1), clock);
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<String> version = new AtomicReference<>("v1");
        for (int i = 0; i < 100; i++) {
            assertEquals("index of v1", cache.get("t", () -> { asked.incrementAndGet(); return version.get(); },
                    v -> { loads.incrementAndGet(); return "index of " + v; }));
        }
        assertEquals(1, asked.get(), "within the window the version is not asked again");
        assertEquals(1, loads.get());
        version.set("v2");
        clock.millis += 999;
        assertEquals("index of v1", cache.get("t", version::get, v -> "index of " + v),
                "a rebuild is seen once the window has passed, not before");
        clock.millis += 1;
        assertEquals("index of v2", cache.get("t", version::get, v -> "index of " + v));
        clock.millis += 5_000;
        assertEquals("index of v2", cache.get("t", version::get, v -> { throw new AssertionError("reloaded"); }),
                "the same version is not loaded again");
    }

    @Test
    void whileANewVersionLoadsTheOtherRequestsAnswerFromTheOldOne() throws Exception {
        ManualClock clock = new ManualClock();
        LookupCache<String> cache = new LookupCache<>(Duration.ofMillis(1), clock);
        cache.get("t", () -> "v1", v -> "index of " + v);
        clock.millis += 10;
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread loader = Thread.ofPlatform().start(() -> cache.get("t", () -> "v2", v -> {
            loading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "index of " + v;
        }));
        assertTrue(loading.await(5, TimeUnit.SECONDS));
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            during.add(cache.get("t", () -> "v2", v -> { throw new AssertionError("a second load of v2"); }));
        }
        assertEquals(List.of("index of v1"), during.stream().distinct().toList(),
                "no request waits for or repeats the load: each answers from the version it had");
        release.countDown();
        loader.join(5_000);
        assertEquals("index of v2", cache.get("t", () -> "v2", v -> { throw new AssertionError("reloaded"); }),
                "once loaded, the new version answers");
    }

    @Test
    void aTargetThatIsGoneIsDroppedAndItsErrorPassedOn() {
        ManualClock clock = new ManualClock();
        LookupCache<String> cache = new LookupCache<>(Duration.ofMillis(1), clock);
        cache.get("t", () -> "v1", v -> "index");
        clock.millis += 10;
        assertThrows(IllegalStateException.class, () -> cache.get("t", () -> { throw new IllegalStateException("gone"); },
                v -> "index"));
        assertEquals(0, cache.size(), "nothing is kept of a target that is gone");
    }
}
