package personae.core.target;

import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

class TargetCsvTest {

    static final String SCOPE = "email,person_first_name,fdy_persona_set_ps_1_persona_id,fdy_persona_set_ps_1_persona_name\n"
            + "a@x.com,Ann,p1,Garden fans\n"
            + "b@x.com,\"Bo, Jr\",p2,Lapsed\n"
            + "c@x.com,Cy,p1,Garden fans\n"
            + "d@x.com,Di,p3,Regulars\n";

    static String run(String target) {
        return run(target, SCOPE);
    }

    static String run(String target, String scope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TargetCsv.transform(Json.read(target), new ByteArrayInputStream(scope.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everythingByDefault() {
        assertEquals(SCOPE, run("{}"));
    }

    @Test
    void customStructureSelectsOrdersAndRenames() {
        assertEquals("persona,EMAIL\nGarden fans,a@x.com\nLapsed,b@x.com\nGarden fans,c@x.com\nRegulars,d@x.com\n",
                run("{\"custom_structure\":[{\"scope_col\":\"fdy_persona_set_ps_1_persona_name\",\"output_col\":\"persona\"},"
                        + "{\"scope_col\":\"email\",\"output_col\":\"EMAIL\"}]}"));
    }

    @Test
    void limitRowCount() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = TargetCsv.transform(Json.read("{\"limit\":{\"method\":\"row_count\",\"threshold\":2}}"),
                new ByteArrayInputStream(SCOPE.getBytes(StandardCharsets.UTF_8)), out);
        assertEquals(2, n);
        assertEquals(3, out.toString(StandardCharsets.UTF_8).lines().count());
        assertEquals(1, run("{\"limit\":{\"method\":\"row_count\",\"threshold\":0}}").lines().count(), "header only");
    }

    @Test
    void personaFilterEqTrueAndFalse() {
        String in = run("{\"filter\":{\"persona\":[{\"persona_set_id\":\"ps-1\",\"persona_id\":\"p1\",\"_eq\":true}]},"
                + "\"custom_structure\":[{\"scope_col\":\"email\",\"output_col\":\"email\"}]}");
        assertEquals("email\na@x.com\nc@x.com\n", in);
        String out = run("{\"filter\":{\"persona\":[{\"persona_set_id\":\"ps-1\",\"persona_id\":\"p1\",\"_eq\":false}]},"
                + "\"custom_structure\":[{\"scope_col\":\"email\",\"output_col\":\"email\"}]}");
        assertEquals("email\nb@x.com\nd@x.com\n", out);
        // the limit counts rows kept by the filter
        assertEquals("email\nb@x.com\n", run("{\"filter\":{\"persona\":[{\"persona_set_id\":\"ps-1\",\"persona_id\":\"p1\",\"_eq\":false}]},"
                + "\"limit\":{\"method\":\"row_count\",\"threshold\":1},"
                + "\"custom_structure\":[{\"scope_col\":\"email\",\"output_col\":\"email\"}]}"));
    }

    @Test
    void delimiterAndQuoteAll() {
        String s = run("{\"options\":{\"delimiter\":\"|\",\"quote_all\":true},"
                + "\"custom_structure\":[{\"scope_col\":\"email\",\"output_col\":\"email\"},{\"scope_col\":\"person_first_name\",\"output_col\":\"first\"}]}");
        assertEquals("\"email\"|\"first\"\n\"a@x.com\"|\"Ann\"\n\"b@x.com\"|\"Bo, Jr\"\n\"c@x.com\"|\"Cy\"\n\"d@x.com\"|\"Di\"\n", s);
        String minimal = run("{\"options\":{\"delimiter\":\";\"},"
                + "\"custom_structure\":[{\"scope_col\":\"person_first_name\",\"output_col\":\"first\"}]}");
        assertEquals("first\nAnn\nBo, Jr\nCy\nDi\n", minimal, "a comma needs no quotes with ';'");
    }

    @Test
    void gzip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TargetCsv.transform(Json.read("{\"options\":{\"gzip\":true}}"), new ByteArrayInputStream(SCOPE.getBytes(StandardCharsets.UTF_8)), out);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(SCOPE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void unknownScopeColumnIsExplained() {
        var e = assertThrows(IllegalArgumentException.class, () -> run("{\"custom_structure\":[{\"scope_col\":\"phone\",\"output_col\":\"tel\"}]}"));
        assertTrue(e.getMessage().contains("'phone'"), e.getMessage());
        assertTrue(e.getMessage().contains("columns: email, person_first_name, fdy_persona_set_ps_1_persona_id"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run("{\"filter\":{\"persona\":[{\"persona_set_id\":\"other\",\"persona_id\":\"p1\",\"_eq\":true}]}}"));
        assertTrue(e.getMessage().contains("persona set other"), e.getMessage());
    }

    /** People with a state, a spend attribute (not an fdy_ column) and a persona; some without a street or a state. */
    static final String GEO = "email,email_hash,house_number_and_street,state,postcode,spend,fdy_persona_set_ps_1_persona_id\n"
            + "a@x.com,,1 Elm Street,ma,02139,10,p1\n"
            + ",AAAA" + "0".repeat(60) + ",1 Elm St.,MA,2139,30,p2\n"
            + "c@x.com,,,NY,10001,,p1\n"
            + "d@x.com,,,NY,10001,5,p1\n"
            + "e@x.com,,9 Oak Road,,,7,p2\n";

    static java.util.List<String[]> geoRows() {
        return GEO.lines().skip(1).map(l -> l.split(",", -1)).toList();
    }

    @Test
    void anAggregatedCustomStructureCountsAveragesAndCountsIfPerArea() {
        String out = run("{\"representation\":{\"mode\":\"aggregated\",\"aggregate\":\"state\"},\"custom_structure\":["
                + "{\"scope_col\":\"state\",\"output_col\":\"area\"},"
                + "{\"scope_col\":\"state\",\"output_col\":\"n\",\"aggregation\":\"count\"},"
                + "{\"scope_col\":\"fdy_persona_set_ps_1_persona_id\",\"output_col\":\"p1\",\"aggregation\":\"countif\",\"aggregation_criteria\":\"p1\"},"
                + "{\"scope_col\":\"spend\",\"output_col\":\"avg_spend\",\"aggregation\":\"avg\"}]}", GEO);
        java.util.TreeMap<String, long[]> expected = new java.util.TreeMap<>(); // count, p1, spend sum, spend n
        for (String[] r : geoRows()) {
            if (r[3].isBlank()) continue;
            long[] e = expected.computeIfAbsent(r[3].toUpperCase(), k -> new long[4]);
            e[0]++;
            if (r[6].equals("p1")) e[1]++;
            if (!r[5].isEmpty()) { e[2] += Long.parseLong(r[5]); e[3]++; }
        }
        StringBuilder want = new StringBuilder("area,n,p1,avg_spend\n");
        expected.forEach((k, e) -> want.append(k).append(',').append(e[0]).append(',').append(e[1]).append(',')
                .append(e[3] == 0 ? "" : Double.toString((double) e[2] / e[3])).append('\n'));
        assertEquals(want.toString(), out, "one row per state (case folded, sorted), people without a state in none");
    }

    @Test
    void anAggregatedColumnWithoutAggregationMustBeTheArea() {
        var e = assertThrows(IllegalArgumentException.class, () -> run("{\"representation\":{\"mode\":\"aggregated\","
                + "\"aggregate\":\"postcode\"},\"custom_structure\":[{\"scope_col\":\"email\",\"output_col\":\"e\"}]}", GEO));
        assertTrue(e.getMessage().contains("only the area column (postcode)"), e.getMessage());
    }

    @Test
    void aHashedTargetUsesAGivenEmailHashWhenThereIsNoEmailAndLeavesOutAttributeColumns() {
        String out = run("{\"id\":\"t-1\",\"representation\":{\"mode\":\"hashed\"}}", GEO);
        java.util.List<String> lines = out.lines().toList();
        assertEquals("email_hash,name_address_hash,fdy_persona_set_ps_1_persona_id", lines.get(0),
                "hashes and fdy_ payload columns; the spend attribute is not published");
        java.util.Set<String> hashes = new java.util.HashSet<>();
        lines.stream().skip(1).forEach(l -> hashes.add(l.split(",", -1)[0]));
        java.util.Set<String> want = new java.util.HashSet<>();
        for (String[] r : geoRows()) {
            want.add(r[0].isEmpty() ? r[1].toLowerCase() : personae.core.ingest.Identity.emailHash(r[0]));
        }
        assertEquals(want, hashes);
        assertEquals(out, run("{\"id\":\"t-1\",\"representation\":{\"mode\":\"hashed\"}}", GEO), "same id, same order");
    }

    @Test
    void aHashedTargetsLimitIsASampleOfAllItsRowsNotTheFirstOnes() {
        StringBuilder scope = new StringBuilder("email,fdy_persona_set_ps_1_persona_id\n");
        for (int i = 0; i < 200; i++) scope.append("p").append(i).append("@x.com,p1\n");
        java.util.List<String> first = run("{\"representation\":{\"mode\":\"hashed\"}}", scope.toString()).lines()
                .skip(1).limit(20).map(l -> l.split(",")[0]).toList();
        java.util.Set<String> firstTwenty = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) firstTwenty.add(personae.core.ingest.Identity.emailHash("p" + i + "@x.com"));
        java.util.List<String> limited = run("{\"representation\":{\"mode\":\"hashed\"},\"limit\":{\"method\":\"row_count\","
                + "\"threshold\":20}}", scope.toString()).lines().skip(1).map(l -> l.split(",")[0]).toList();
        assertEquals(first, limited, "the limit takes the shuffle's first rows");
        assertNotEquals(firstTwenty, java.util.Set.copyOf(limited), "drawn from all 200 people, not the scope's first 20");
    }

    @Test
    void aResidenceTargetKeepsTheFirstPersonOfEachStreetAndPostcodeAndEveryoneWithoutAStreet() {
        String out = run("{\"representation\":{\"mode\":\"identified\",\"aggregate\":\"residence\"},"
                + "\"custom_structure\":[{\"scope_col\":\"email\",\"output_col\":\"email\"}]}", GEO);
        // rows 1 and 2 are one household (1 Elm Street = 1 Elm St., 02139 = 2139); rows 3 and 4 have no street
        assertEquals("email\na@x.com\nc@x.com\nd@x.com\ne@x.com\n", out);
    }

    @Test
    void aPayloadMapSelectsAndRenamesLikeACustomStructure() {
        assertEquals(run("{\"custom_structure\":[{\"scope_col\":\"fdy_persona_set_ps_1_persona_name\",\"output_col\":\"persona\"},"
                        + "{\"scope_col\":\"email\",\"output_col\":\"EMAIL\"}]}"),
                run("{\"payload_map\":{\"fdy_persona_set_ps_1_persona_name\":\"persona\",\"email\":\"EMAIL\"}}"));
    }
}
