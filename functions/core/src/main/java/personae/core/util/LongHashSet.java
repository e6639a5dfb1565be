package personae.core.util;

/** An open-addressing set of longs (no boxing); 0 is stored out of band. Used to drop duplicate rows by hash. */
public final class LongHashSet {
    private long[] table = new long[1 << 16];
    private int size;
    private boolean hasZero;

    /** Adds {@code v}; false when it was already there. */
    public boolean add(long v) {
        if (v == 0) {
            boolean was = hasZero;
            hasZero = true;
            return !was;
        }
        if ((size + 1) * 2 > table.length) grow();
        if (insert(table, v)) {
            size++;
            return true;
        }
        return false;
    }

    private static boolean insert(long[] t, long v) {
        int mask = t.length - 1;
        int i = (int) (mix(v) & mask);
        while (t[i] != 0) {
            if (t[i] == v) return false;
            i = (i + 1) & mask;
        }
        t[i] = v;
        return true;
    }

    private void grow() {
        long[] next = new long[table.length * 2];
        for (long v : table) if (v != 0) insert(next, v);
        table = next;
    }

    private static long mix(long v) {
        v ^= v >>> 33;
        v *= 0xff51afd7ed558ccdL;
        v ^= v >>> 33;
        return v;
    }
}
