package personae.core.util;

/**
 * An open-addressing (linear probing) map from {@code long} to non-negative {@code int}, without boxing: two parallel
 * arrays, about 12 bytes a slot at a load of at most 3/4. Key 0 is stored out of band. Used to find the identity
 * node of a 64-bit identity key.
 */
public final class LongIntHashMap {
    /** What {@link #get} returns for a key that is not in the map. */
    public static final int ABSENT = -1;

    private long[] keys = new long[1 << 10];
    private int[] values = new int[1 << 10];
    private int size;
    private int zeroValue = ABSENT;

    /** The value of {@code key}, or {@link #ABSENT}. */
    public int get(long key) {
        if (key == 0) return zeroValue;
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == 0) return ABSENT;
        }
    }

    /** Maps {@code key} to {@code value} (which must not be negative), replacing any earlier value. */
    public void put(long key, int value) {
        if (value < 0) throw new IllegalArgumentException("negative value " + value);
        if (key == 0) {
            if (zeroValue == ABSENT) size++;
            zeroValue = value;
            return;
        }
        if ((size + 1) * 4L > keys.length * 3L) grow();
        if (insert(keys, values, key, value)) size++;
    }

    /** The number of keys. */
    public int size() {
        return size;
    }

    private static boolean insert(long[] keys, int[] values, long key, int value) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                return true;
            }
            if (k == key) {
                values[i] = value;
                return false;
            }
        }
    }

    private void grow() {
        long[] nk = new long[keys.length * 2];
        int[] nv = new int[nk.length];
        for (int i = 0; i < keys.length; i++) if (keys[i] != 0) insert(nk, nv, keys[i], values[i]);
        keys = nk;
        values = nv;
    }

    private static int slot(long key, int mask) {
        // murmur3 fmix64: keys may be structured (phone digits), so spread every bit before masking
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    @Override
    public String toString() {
        return "LongIntHashMap[size=" + size + ", capacity=" + keys.length + "]";
    }
}
