package personae.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One row or event filter (DatasetStreamCondition, CohortStreamCondition): the operators {@code _eq}, {@code _neq},
 * {@code _gt}, {@code _gte}, {@code _lt}, {@code _lte}, {@code _in}, {@code _nin}, {@code _matches}, {@code _null},
 * {@code _nnull} on one column or property. Nulls (empty cells) never match unless {@code _null: true}.
 */
public record Condition(String field, boolean optional, String eq, String neq, Double gt, Double gte, Double lt,
                        Double lte, Set<String> in, Set<String> nin, Pattern matches, Boolean isNull, Boolean notNull) {

    /** The operator names, for validation. */
    public static final List<String> OPERATORS = List.of("_eq", "_neq", "_gt", "_gte", "_lt", "_lte", "_in", "_nin",
            "_matches", "_null", "_nnull");

    /** Builds a condition from its JSON; {@code fieldKey} is {@code column_name} or {@code property}. */
    public static Condition fromJson(JsonNode c, String fieldKey) {
        return new Condition(c.path(fieldKey).asText(), c.path("optional").asBoolean(false),
                text(c, "_eq"), text(c, "_neq"), num(c, "_gt"), num(c, "_gte"), num(c, "_lt"), num(c, "_lte"),
                set(c, "_in"), set(c, "_nin"),
                c.hasNonNull("_matches") ? Pattern.compile(c.get("_matches").asText()) : null,
                c.hasNonNull("_null") ? c.get("_null").asBoolean() : null,
                c.hasNonNull("_nnull") ? c.get("_nnull").asBoolean() : null);
    }

    private static String text(JsonNode c, String k) {
        return c.hasNonNull(k) ? c.get(k).asText() : null;
    }

    private static Double num(JsonNode c, String k) {
        return c.hasNonNull(k) ? c.get(k).asDouble() : null;
    }

    private static Set<String> set(JsonNode c, String k) {
        if (!c.hasNonNull(k)) return null;
        Set<String> s = new HashSet<>();
        c.get(k).forEach(v -> s.add(v.asText()));
        return s;
    }

    /** Whether a value (null or empty = null) passes every operator of this condition. */
    public boolean test(String value) {
        boolean nul = value == null || value.isEmpty();
        if (Boolean.TRUE.equals(isNull) || Boolean.FALSE.equals(notNull)) return nul;
        if (nul) return false;
        if (eq != null && !eq.equals(value)) return false;
        if (neq != null && neq.equals(value)) return false;
        if (in != null && !in.contains(value)) return false;
        if (nin != null && nin.contains(value)) return false;
        if (matches != null && !matches.matcher(value).find()) return false;
        if (gt != null || gte != null || lt != null || lte != null) {
            double v;
            try {
                v = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                return false;
            }
            if (gt != null && !(v > gt)) return false;
            if (gte != null && !(v >= gte)) return false;
            if (lt != null && !(v < lt)) return false;
            if (lte != null && !(v <= lte)) return false;
        }
        return true;
    }

    /** Non-optional conditions AND together; optional ones OR together (and the group must hold if present). */
    public static boolean all(List<Condition> conditions, java.util.function.Function<String, String> valueOf) {
        if (conditions.isEmpty()) return true;
        boolean anyOptional = false;
        boolean optionalHeld = false;
        for (Condition c : conditions) {
            boolean ok = c.test(valueOf.apply(c.field()));
            if (c.optional()) {
                anyOptional = true;
                optionalHeld |= ok;
            } else if (!ok) {
                return false;
            }
        }
        return !anyOptional || optionalHeld;
    }

    public static List<Condition> listFromJson(JsonNode array, String fieldKey) {
        List<Condition> out = new ArrayList<>();
        if (array != null && array.isArray()) array.forEach(c -> out.add(fromJson(c, fieldKey)));
        return out;
    }
}
