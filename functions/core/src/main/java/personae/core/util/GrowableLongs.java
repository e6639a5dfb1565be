package personae.core.util;

import java.util.Arrays;

/** A long list without boxing: one array, doubled when full. */
public final class GrowableLongs {
    private long[] a = new long[1024];
    private int n;

    public void add(long v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    public long get(int i) { return a[i]; }

    public int size() { return n; }
}
