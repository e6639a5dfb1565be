package personae.core.ingest;

import org.junit.jupiter.api.Test;
import personae.core.util.LongIntHashMap;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The primitive map that holds identity nodes by 64-bit key (in util; tested here beside its one user). */
class LongIntHashMapTest {

    @Test
    void agreesWithAHashMapThroughGrowthIncludingZeroAndStructuredKeys() {
        LongIntHashMap m = new LongIntHashMap();
        Map<Long, Integer> ref = new HashMap<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // random keys, small sequential ones (phone-like), and 0
            long k = switch (i % 3) {
                case 0 -> r.nextLong();
                case 1 -> 16175550000L + r.nextInt(50_000);
                default -> r.nextInt(1000) == 0 ? 0 : r.nextLong(1 << 20);
            };
            int v = r.nextInt(Integer.MAX_VALUE);
            m.put(k, v);
            ref.put(k, v);
        }
        assertEquals(ref.size(), m.size());
        ref.forEach((k, v) -> assertEquals(v, m.get(k), "key " + k));
        for (int i = 0; i < 10_000; i++) {
            long k = r.nextLong();
            if (!ref.containsKey(k)) assertEquals(LongIntHashMap.ABSENT, m.get(k));
        }
    }

    @Test
    void absentZeroAndNegativeValues() {
        LongIntHashMap m = new LongIntHashMap();
        assertEquals(LongIntHashMap.ABSENT, m.get(0));
        assertEquals(LongIntHashMap.ABSENT, m.get(42));
        m.put(0, 3);
        assertEquals(3, m.get(0));
        assertEquals(1, m.size());
        m.put(0, 4);
        assertEquals(4, m.get(0));
        assertEquals(1, m.size());
        assertThrows(IllegalArgumentException.class, () -> m.put(1, -1));
    }
}
