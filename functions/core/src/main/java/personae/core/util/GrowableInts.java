package personae.core.util;

import java.util.Arrays;

/** An int list without boxing: one array, doubled when full. */
public final class GrowableInts {
    private int[] a = new int[1024];
    private int n;

    public void add(int v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    public int get(int i) { return a[i]; }

    public void set(int i, int v) { a[i] = v; }

    public int size() { return n; }
}
