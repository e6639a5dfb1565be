package personae.core.util;

import java.util.Arrays;

/** A double list without boxing: one array, doubled when full. */
public final class GrowableDoubles {
    private double[] a = new double[1024];
    private int n;

    public void add(double v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    public double get(int i) { return a[i]; }

    public int size() { return n; }
}
