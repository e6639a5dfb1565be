package personae.core.ingest;

import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConditionTest {

    private static Condition c(String json) {
        return Condition.fromJson(Json.read(json), "column_name");
    }

    @Test
    void nnullFalseSelectsNulls() {
        assertTrue(c("{\"column_name\":\"x\",\"_nnull\":false}").test(""));
        assertFalse(c("{\"column_name\":\"x\",\"_nnull\":false}").test("a"));
        assertTrue(c("{\"column_name\":\"x\",\"_nnull\":true}").test("a"));
        assertFalse(c("{\"column_name\":\"x\",\"_nnull\":true}").test(null));
    }

    @Test
    void operators() {
        assertTrue(c("{\"column_name\":\"x\",\"_eq\":\"a\"}").test("a"));
        assertFalse(c("{\"column_name\":\"x\",\"_eq\":\"a\"}").test("b"));
        assertFalse(c("{\"column_name\":\"x\",\"_neq\":\"a\"}").test("a"));
        assertTrue(c("{\"column_name\":\"x\",\"_neq\":\"a\"}").test("b"));
        assertTrue(c("{\"column_name\":\"x\",\"_in\":[\"a\",\"b\"]}").test("b"));
        assertFalse(c("{\"column_name\":\"x\",\"_in\":[\"a\",\"b\"]}").test("c"));
        assertFalse(c("{\"column_name\":\"x\",\"_nin\":[\"a\",\"b\"]}").test("a"));
        assertTrue(c("{\"column_name\":\"x\",\"_gt\":10}").test("10.5"));
        assertFalse(c("{\"column_name\":\"x\",\"_gt\":10}").test("10"));
        assertTrue(c("{\"column_name\":\"x\",\"_gte\":10}").test("10"));
        assertTrue(c("{\"column_name\":\"x\",\"_lt\":10}").test("9"));
        assertFalse(c("{\"column_name\":\"x\",\"_lte\":10}").test("10.01"));
        assertFalse(c("{\"column_name\":\"x\",\"_gt\":1}").test("many"), "not a number: no match");
        assertTrue(c("{\"column_name\":\"x\",\"_gte\":1,\"_lt\":5}").test("4"));
        assertFalse(c("{\"column_name\":\"x\",\"_gte\":1,\"_lt\":5}").test("5"));
    }

    @Test
    void onANumberColumnEqualityComparesNumbersAndElsewhereText() {
        Condition eq = c("{\"column_name\":\"x\",\"_eq\":\"2\"}");
        assertTrue(eq.test("2.0", true), "2 is 2.0 in a number column");
        assertFalse(eq.test("2.0"), "but not as text");
        assertFalse(eq.test("2.5", true));
        assertFalse(c("{\"column_name\":\"x\",\"_eq\":\"two\"}").test("2", true), "an operand that is no number equals nothing");
        assertTrue(c("{\"column_name\":\"x\",\"_in\":[\"1.50\",\"9\"]}").test("1.5", true));
        assertFalse(c("{\"column_name\":\"x\",\"_nin\":[\"1.50\"]}").test("1.5", true));
        assertTrue(c("{\"column_name\":\"x\",\"_neq\":\"1.50\"}").test("2", true));
        assertFalse(c("{\"column_name\":\"x\",\"_neq\":\"1.50\"}").test("1.5", true));
        assertTrue(Condition.all(List.of(eq), f -> "2.0", f -> f.equals("x")), "all() passes which fields are numbers");
        assertFalse(Condition.all(List.of(eq), f -> "2.0"), "and compares text without");
    }

    @Test
    void matchesIsASubstringRegex() {
        Condition m = c("{\"column_name\":\"x\",\"_matches\":\"gard\"}");
        assertTrue(m.test("garden"));
        assertTrue(m.test("my garden tools"));
        assertFalse(m.test("Garden"), "case-sensitive");
        assertTrue(c("{\"column_name\":\"x\",\"_matches\":\"^a.c$\"}").test("abc"));
        assertFalse(c("{\"column_name\":\"x\",\"_matches\":\"^a.c$\"}").test("abcd"));
    }

    @Test
    void nullsAreExcludedUnlessAskedFor() {
        Condition neq = c("{\"column_name\":\"x\",\"_neq\":\"a\"}");
        assertFalse(neq.test(null));
        assertFalse(neq.test(""));
        assertFalse(c("{\"column_name\":\"x\",\"_nin\":[\"a\"]}").test(""));
        Condition isNull = c("{\"column_name\":\"x\",\"_null\":true}");
        assertTrue(isNull.test(""));
        assertTrue(isNull.test(null));
        assertFalse(isNull.test("a"));
        Condition notNull = c("{\"column_name\":\"x\",\"_null\":false}");
        assertFalse(notNull.test(""));
        assertTrue(notNull.test("a"));
        Condition nnull = c("{\"column_name\":\"x\",\"_nnull\":true}");
        assertFalse(nnull.test(""));
        assertTrue(nnull.test("a"));
    }

    @Test
    void requiredConditionsAndOptionalOnesOr() {
        List<Condition> cs = Condition.listFromJson(Json.read("""
                [{"column_name":"status","_eq":"paid"},
                 {"column_name":"total","_gt":100},
                 {"column_name":"channel","_eq":"web","optional":true},
                 {"column_name":"country","_eq":"US","optional":true}]"""), "column_name");
        assertEquals(4, cs.size());
        assertTrue(Condition.all(cs, Map.of("status", "paid", "total", "150", "channel", "web", "country", "FR")::get));
        assertTrue(Condition.all(cs, Map.of("status", "paid", "total", "150", "channel", "store", "country", "US")::get));
        assertFalse(Condition.all(cs, Map.of("status", "paid", "total", "150", "channel", "store", "country", "FR")::get),
                "no optional condition holds");
        assertFalse(Condition.all(cs, Map.of("status", "paid", "total", "50", "channel", "web", "country", "US")::get),
                "a required condition fails");
        assertFalse(Condition.all(cs, Map.of("status", "refunded", "total", "150", "channel", "web", "country", "US")::get));
        assertFalse(Condition.all(cs, Map.of("total", "150", "channel", "web")::get), "missing column is null");
        assertTrue(Condition.all(List.of(), k -> null));
        List<Condition> onlyRequired = cs.subList(0, 2);
        assertTrue(Condition.all(onlyRequired, Map.of("status", "paid", "total", "101")::get));
        assertTrue(Condition.listFromJson(null, "column_name").isEmpty());
    }
}
