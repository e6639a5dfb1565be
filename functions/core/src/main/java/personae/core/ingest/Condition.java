package personae.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One row, event or person filter (DatasetStreamCondition, CohortStreamCondition, CohortTrait): the operators
 * {@code _eq}, {@code _neq}, {@code _gt}, {@code _gte}, {@code _lt}, {@code _lte}, {@code _in}, {@code _nin},
 * {@code _matches}, {@code _null}, {@code _nnull} on one column, property or trait. Nulls (empty cells) never match
 * unless {@code _null: true}. On a numeric column (a number trait, whose cells Personae writes itself), {@code _eq},
 * {@code _neq}, {@code _in} and {@code _nin} compare numbers, so {@code "2"} equals {@code 2.0}; elsewhere they compare
 * text exactly.
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

    /** Whether a value (null or empty = null) passes every operator of this condition, compared as text. */
    public boolean test(String value) {
        return test(value, false);
    }

    /**
     * Whether a value (null or empty = null) passes every operator of this condition; {@code numeric}: the value is a
     * number Personae wrote, and equality operators compare numbers (an operand that is not a number equals nothing).
     */
    public boolean test(String value, boolean numeric) {
        boolean nul = value == null || value.isEmpty();
        if (Boolean.TRUE.equals(isNull) || Boolean.FALSE.equals(notNull)) return nul;
        if (nul) return false;
        if (eq != null && !same(eq, value, numeric)) return false;
        if (neq != null && same(neq, value, numeric)) return false;
        if (in != null && !contains(in, value, numeric)) return false;
        if (nin != null && contains(nin, value, numeric)) return false;
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

    private static boolean same(String operand, String value, boolean numeric) {
        if (!numeric) return operand.equals(value);
        Double a = number(operand), b = number(value);
        return a != null && b != null && a.doubleValue() == b.doubleValue();
    }

    private static boolean contains(Set<String> operands, String value, boolean numeric) {
        if (!numeric) return operands.contains(value);
        for (String o : operands) if (same(o, value, true)) return true;
        return false;
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Non-optional conditions AND together; optional ones OR together (and the group must hold if present). */
    public static boolean all(List<Condition> conditions, java.util.function.Function<String, String> valueOf) {
        return all(conditions, valueOf, field -> false);
    }

    /** {@link #all(List, java.util.function.Function)} where {@code numeric} says which fields hold numbers. */
    public static boolean all(List<Condition> conditions, java.util.function.Function<String, String> valueOf,
                              java.util.function.Predicate<String> numeric) {
        if (conditions.isEmpty()) return true;
        boolean anyOptional = false;
        boolean optionalHeld = false;
        for (Condition c : conditions) {
            boolean ok = c.test(valueOf.apply(c.field()), numeric.test(c.field()));
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
