package personae.core.cohort;

import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CohortBuilderTest {

    static final long DAY = 86_400;
    static final Instant NOW = Instant.parse("2025-01-31T00:00:00Z");
    static final long T = NOW.getEpochSecond();

    /**
     * Person 0: 3 garden orders (10, 20, 30), 100, 50 and 5 days ago. Person 1: 1 toys order (500), 2 days ago.
     * Person 2: 2 orders, garden 5 (400 days ago) and toys 7 (200 days ago). Person 3: one event without date or value.
     */
    static final String EVENTS = "person_id,datetime,value,product\n"
            + "0," + (T - 100 * DAY) + ",10,garden\n"
            + "0," + (T - 50 * DAY) + ",20,garden\n"
            + "0," + (T - 5 * DAY) + ",30,garden\n"
            + "1," + (T - 2 * DAY) + ",500,toys\n"
            + "2," + (T - 400 * DAY) + ",5,garden\n"
            + "2," + (T - 200 * DAY) + ",7,toys\n"
            + "3,,,home\n";

    /** Each dataset's people their own (no identity keys to link them), ids 0..99 in datasets a, b and ds1. */
    static personae.core.people.AccountPeople unlinked() {
        return personae.core.people.AccountPeople.link(java.util.List.of(
                new personae.core.people.AccountPeople.Dataset("a", 100, null),
                new personae.core.people.AccountPeople.Dataset("b", 100, null),
                new personae.core.people.AccountPeople.Dataset("ds1", 100, null)));
    }

    static List<Integer> members(String rules) {
        return members(rules, EVENTS);
    }

    static List<Integer> members(String rules, String events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = CohortBuilder.build(CohortBuilder.Rules.fromDocument(Json.read(rules)),
                List.of(new CohortBuilder.Source("ds1", new ByteArrayInputStream(events.getBytes(StandardCharsets.UTF_8)))),
                unlinked(), NOW, out);
        String csv = out.toString(StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("dataset_id,person_id\n"), csv);
        List<Integer> ids = csv.lines().skip(1).map(l -> {
            assertTrue(l.startsWith("ds1,"), l);
            return Integer.parseInt(l.substring(4));
        }).toList();
        assertEquals(n, ids.size());
        return ids;
    }

    @Test
    void everyoneWithAnEventByDefault() {
        assertEquals(List.of(0, 1, 2, 3), members("{\"stream_name\":\"orders\"}"));
    }

    @Test
    void counts() {
        assertEquals(List.of(0, 2), members("{\"stream_name\":\"orders\",\"min_count\":2}"));
        assertEquals(List.of(1, 2, 3), members("{\"stream_name\":\"orders\",\"max_count\":2}"));
        assertEquals(List.of(2), members("{\"stream_name\":\"orders\",\"min_count\":2,\"max_count\":2}"));
    }

    @Test
    void values() {
        assertEquals(List.of(0, 1), members("{\"stream_name\":\"orders\",\"min_value\":60}"), "0 totals 60");
        assertEquals(List.of(2, 3), members("{\"stream_name\":\"orders\",\"max_value\":59.99}"));
    }

    @Test
    void streamConditionsFilterEventsBeforeCounting() {
        assertEquals(List.of(0, 2), members("{\"stream_name\":\"orders\",\"stream_conditions\":[{\"property\":\"product\",\"_eq\":\"garden\"}]}"));
        assertEquals(List.of(0), members("{\"stream_name\":\"orders\",\"min_count\":2,"
                + "\"stream_conditions\":[{\"property\":\"product\",\"_eq\":\"garden\"}]}"), "2 has only one garden order");
        assertEquals(List.of(1, 2, 3), members("{\"stream_name\":\"orders\",\"stream_conditions\":[{\"property\":\"product\",\"_in\":[\"toys\",\"home\"]}]}"));
        assertEquals(List.of(0, 1), members("{\"stream_name\":\"orders\",\"stream_conditions\":[{\"property\":\"value\",\"_gt\":15}]}"));
        assertEquals(List.of(1), members("{\"stream_name\":\"orders\",\"min_value\":100,"
                + "\"stream_conditions\":[{\"property\":\"value\",\"_gt\":15}]}"), "0's qualifying total is 50");
        assertEquals(List.of(), members("{\"stream_name\":\"orders\",\"stream_conditions\":[{\"property\":\"nope\",\"_eq\":\"x\"}]}"),
                "a property the stream lacks is null");
    }

    @Test
    void recencyOfTheLastOrFirstEvent() {
        assertEquals(List.of(0, 1), members("{\"stream_name\":\"orders\",\"recency\":{\"occurrence\":\"last\",\"max_days\":30}}"));
        assertEquals(List.of(2), members("{\"stream_name\":\"orders\",\"recency\":{\"occurrence\":\"last\",\"min_days\":30}}"),
                "3 has no dated event");
        assertEquals(List.of(0), members("{\"stream_name\":\"orders\",\"recency\":{\"occurrence\":\"first\",\"min_days\":60,\"max_days\":365}}"));
        assertEquals(List.of(2), members("{\"stream_name\":\"orders\",\"recency\":{\"occurrence\":\"first\",\"min_days\":365}}"));
        assertEquals(List.of(0, 1), members("{\"stream_name\":\"orders\",\"recency\":{\"max_days\":30}}"), "last by default");
    }

    @Test
    void severalDatasetsAndMembersBitsets() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = CohortBuilder.build(CohortBuilder.Rules.fromDocument(Json.read("{\"stream_name\":\"orders\",\"min_count\":2}")),
                List.of(new CohortBuilder.Source("b", new ByteArrayInputStream(EVENTS.getBytes(StandardCharsets.UTF_8))),
                        new CohortBuilder.Source("a", new ByteArrayInputStream("person_id,datetime\n7,\n7,\n8,\n".getBytes(StandardCharsets.UTF_8)))),
                unlinked(), NOW, out);
        assertEquals(3, n);
        Members m = Members.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(3, m.size());
        Map<String, int[]> by = m.byDataset();
        assertEquals(List.of("a", "b"), List.copyOf(by.keySet()));
        assertArrayEquals(new int[]{7}, by.get("a"));
        assertArrayEquals(new int[]{0, 2}, by.get("b"));
        m.limit(2);
        assertArrayEquals(new int[]{0}, m.byDataset().get("b"), "limit keeps the first in (dataset id, person id) order");
        m.limit(1);
        assertEquals(1, m.size());
        assertArrayEquals(new int[]{7}, m.byDataset().get("a"));
        assertFalse(m.byDataset().containsKey("b"));
    }
}
