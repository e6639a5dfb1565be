package personae.core.cohort;

import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cohort's {@code traits} conditions read each member's row of the same dataset's traits.csv: every operator of
 * CohortTrait, non-optional conditions AND-ed, optional ones OR-ed, nulls never matching unless {@code _null: true}.
 * Each expectation is the fixture's people filtered by the same rule written in plain Java.
 */
class CohortTraitsTest {

    static final Instant NOW = Instant.parse("2025-01-31T00:00:00Z");

    /** Person i: a tier, an age (a number trait) and a city; empty cells are nulls. Person 7 has no traits row. */
    record P(int id, String tier, Double age, String city) {}

    static final List<P> PEOPLE = List.of(
            new P(0, "gold", 34.0, "Portland"),
            new P(1, "silver", 21.0, "Seattle"),
            new P(2, "gold", null, "Spokane"),
            new P(3, "", 58.5, "Portland"),
            new P(4, "bronze", 40.0, ""),
            new P(5, "silver", 19.0, "Tacoma"),
            new P(6, "gold", 2.0, "Salem"));
    static final int WITHOUT_ROW = 7;

    static String events() {
        StringBuilder b = new StringBuilder("person_id,datetime,value\n");
        for (int i = 0; i <= WITHOUT_ROW; i++) b.append(i).append(',').append(NOW.getEpochSecond() - 86_400).append(",10\n");
        return b.toString();
    }

    static String traits() {
        StringBuilder b = new StringBuilder("person_id,orders_frequency,age,tier,city\n");
        for (P p : PEOPLE) {
            b.append(p.id()).append(",1,").append(p.age() == null ? "" : (p.age() == Math.rint(p.age())
                    ? Long.toString(p.age().longValue()) : p.age().toString())).append(',').append(p.tier()).append(',')
                    .append(p.city()).append('\n');
        }
        return b.toString();
    }

    static List<Integer> members(String traitConditions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CohortBuilder.build(CohortBuilder.Rules.fromDocument(Json.read("{\"stream_name\":\"orders\",\"traits\":"
                        + traitConditions + "}")),
                List.of(new CohortBuilder.Source("ds1", stream(events()), stream(traits()), Set.of("orders_frequency", "age"))),
                CohortBuilderTest.unlinked(), NOW, out);
        return out.toString(StandardCharsets.UTF_8).lines().skip(1).map(l -> Integer.parseInt(l.split(",")[1])).toList();
    }

    static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The fixture's people (the one without a traits row has every trait null) that {@code rule} keeps. */
    static List<Integer> expected(Predicate<P> rule) {
        List<P> all = new ArrayList<>(PEOPLE);
        all.add(new P(WITHOUT_ROW, "", null, ""));
        return all.stream().filter(rule).map(P::id).toList();
    }

    static boolean has(String s) {
        return s != null && !s.isEmpty();
    }

    @Test
    void eachOperatorSelectsThePeopleWhoseTraitPassesIt() {
        assertEquals(expected(p -> p.tier().equals("gold")), members("[{\"name\":\"tier\",\"_eq\":\"gold\"}]"), "_eq");
        assertEquals(expected(p -> p.age() != null && p.age() > 21), members("[{\"name\":\"age\",\"_gt\":21}]"), "_gt");
        assertEquals(expected(p -> p.age() != null && p.age() >= 21), members("[{\"name\":\"age\",\"_gte\":21}]"), "_gte");
        assertEquals(expected(p -> p.age() != null && p.age() < 21), members("[{\"name\":\"age\",\"_lt\":21}]"), "_lt");
        assertEquals(expected(p -> p.age() != null && p.age() <= 21), members("[{\"name\":\"age\",\"_lte\":21}]"), "_lte");
        assertEquals(expected(p -> Set.of("silver", "bronze").contains(p.tier())),
                members("[{\"name\":\"tier\",\"_in\":[\"silver\",\"bronze\"]}]"), "_in");
        assertEquals(expected(p -> has(p.tier()) && !Set.of("silver", "bronze").contains(p.tier())),
                members("[{\"name\":\"tier\",\"_nin\":[\"silver\",\"bronze\"]}]"), "_nin: nulls excluded");
        assertEquals(expected(p -> p.city().startsWith("S") && p.city().endsWith("e")),
                members("[{\"name\":\"city\",\"_matches\":\"^S.*e$\"}]"), "_matches: a regex");
        assertEquals(expected(p -> p.city().contains("land")), members("[{\"name\":\"city\",\"_matches\":\"land\"}]"),
                "_matches: a substring match");
        assertEquals(expected(p -> p.age() == null), members("[{\"name\":\"age\",\"_null\":true}]"),
                "_null: the people without a value, the one without a traits row too");
        assertEquals(expected(p -> has(p.tier())), members("[{\"name\":\"tier\",\"_nnull\":true}]"), "_nnull");
    }

    @Test
    void aNumberTraitEqualsTheSameNumberHoweverItIsWritten() {
        assertEquals(expected(p -> p.age() != null && p.age() == 34), members("[{\"name\":\"age\",\"_eq\":\"34.0\"}]"),
                "34.0 is the 34 traits.csv holds");
        assertEquals(expected(p -> p.age() != null && (p.age() == 58.5 || p.age() == 2)),
                members("[{\"name\":\"age\",\"_in\":[\"58.50\",\"2\"]}]"), "_in compares numbers");
        assertEquals(expected(p -> p.age() != null && p.age() != 34),
                members("[{\"name\":\"age\",\"_nin\":[\"34\"]}]"), "_nin compares numbers");
        assertEquals(List.of(), members("[{\"name\":\"tier\",\"_eq\":\"Gold\"}]"), "a text trait compares text exactly");
    }

    @Test
    void conditionsAndTogetherAndOptionalOnesOrTogether() {
        assertEquals(expected(p -> p.tier().equals("gold") && p.age() != null && p.age() > 30),
                members("[{\"name\":\"tier\",\"_eq\":\"gold\"},{\"name\":\"age\",\"_gt\":30}]"), "AND");
        assertEquals(expected(p -> p.tier().equals("silver") || p.city().equals("Portland")),
                members("[{\"name\":\"tier\",\"_eq\":\"silver\",\"optional\":true},"
                        + "{\"name\":\"city\",\"_eq\":\"Portland\",\"optional\":true}]"), "optional: OR");
        assertEquals(expected(p -> p.age() != null && p.age() >= 20
                        && (p.tier().equals("silver") || p.city().equals("Portland"))),
                members("[{\"name\":\"age\",\"_gte\":20},{\"name\":\"tier\",\"_eq\":\"silver\",\"optional\":true},"
                        + "{\"name\":\"city\",\"_eq\":\"Portland\",\"optional\":true}]"),
                "the non-optional condition AND the group of optional ones");
    }

    @Test
    void traitConditionsApplyToThePeopleTheStreamRulesQualify() {
        List<Integer> all = members("[]");
        assertEquals(IntStream.rangeClosed(0, WITHOUT_ROW).boxed().toList(), all, "no trait condition: everyone with an event");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = CohortBuilder.build(CohortBuilder.Rules.fromDocument(Json.read("{\"stream_name\":\"orders\","
                        + "\"min_count\":2,\"traits\":[{\"name\":\"tier\",\"_eq\":\"gold\"}]}")),
                List.of(new CohortBuilder.Source("ds1", stream(events()), stream(traits()), Set.of())), CohortBuilderTest.unlinked(), NOW, out);
        assertEquals(0, n, "nobody has two events, whatever their tier");
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("ds1,"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTraitTheDatasetLacksIsNullForEveryone() {
        assertEquals(List.of(), members("[{\"name\":\"income\",\"_gt\":0}]"));
        assertEquals(expected(p -> true), members("[{\"name\":\"income\",\"_null\":true}]"));
        assertTrue(CohortBuilder.Rules.fromDocument(Json.read("{\"stream_name\":\"o\",\"traits\":[{\"name\":\"a\","
                + "\"_eq\":\"1\"},{\"name\":\"a\",\"_eq\":\"2\",\"optional\":true},{\"name\":\"b\",\"_null\":true}]}"))
                .traitNames().equals(List.of("a", "b")), "the names the conditions read, once each");
    }
}
