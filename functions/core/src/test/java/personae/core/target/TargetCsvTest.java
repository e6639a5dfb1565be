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
}
