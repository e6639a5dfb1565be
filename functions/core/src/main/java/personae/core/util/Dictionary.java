package personae.core.util;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Distinct strings numbered in order of first appearance, so a column of a million cells costs a million ints. */
public final class Dictionary {
    private final Map<String, Integer> codes = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    /** The code of {@code value}, adding it if new. */
    public int code(String value) {
        Integer c = codes.get(value);
        if (c != null) return c;
        int next = values.size();
        codes.put(value, next);
        values.add(value);
        return next;
    }

    public String value(int code) { return values.get(code); }

    public int size() { return values.size(); }
}
