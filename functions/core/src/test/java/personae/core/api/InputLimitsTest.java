package personae.core.api;

import org.junit.jupiter.api.Test;
import personae.core.Limits;
import personae.core.Problem;
import personae.core.ingest.CsvFiles;
import personae.core.ingest.CsvProblem;
import personae.core.pipeline.Keys;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of {@link Limits} as the domain and the API apply them (issue 5). */
class InputLimitsTest {

    final ApiFixture f = new ApiFixture(new InMemoryMetadataStore());

    @Test
    void jsonWithTrailingContentIs400NamingWhere() {
        String note = f.call("POST", "/v1/cohorts", "{\"name\":\"x\", \"stream_name\": \"s\"} }}").expect(400).json().path("note").asText();
        assertTrue(note.contains("more content after the JSON value") && note.contains("line 1"), note);
        assertEquals(0, f.call("GET", "/v1/cohorts", null).json().size(), "nothing was created");
    }

    @Test
    void parserNotesNeverNameItsClassesNorQuoteMuchOfTheInput() {
        for (String body : new String[]{"{\"a\": " + "[".repeat(50) + "]".repeat(50) + "}", "{\"a\": tru" + "e".repeat(5000) + "}",
                "{\"a\":", "{\"a\": 1" + "2".repeat(500) + "}", "[1] x"}) {
            ApiFixture.Answer a = f.call("POST", "/v1/datasets", body).expect(400);
            String note = a.json().path("note").asText();
            assertFalse(note.matches("(?is).*(java\\.|jackson|exception|constraint|`).*"), "no parser vocabulary: " + note);
            assertTrue(note.length() < 400, "a short note: " + note);
        }
    }

    @Test
    void aBlankOrOverLongIdNeverReachesTheStore() {
        var resources = f.services.resources();
        assertTrue(resources.find(ApiFixture.ACCOUNT, ResourceType.COHORTS, "").isEmpty());
        assertTrue(resources.find(ApiFixture.ACCOUNT, ResourceType.COHORTS, "x".repeat(5000)).isEmpty());
        Problem p = assertThrows(Problem.class, () -> resources.create(ApiFixture.ACCOUNT, ResourceType.STREAMS, "y".repeat(600), Json.object()));
        assertEquals(Problem.Kind.INVALID, p.kind());
        assertTrue(p.getMessage().length() < 300, p.getMessage());
    }

    @Test
    void aDocumentAboveTheItemLimitIsATooLargeProblemNamingTheLimit() {
        var resources = f.services.resources();
        var s = resources.create(ApiFixture.ACCOUNT, ResourceType.STREAMS, "big", Json.object());
        Problem p = assertThrows(Problem.class, () -> resources.update(ApiFixture.ACCOUNT, ResourceType.STREAMS, s.id(),
                d -> d.doc().put("blob", "z".repeat(Limits.MAX_DOCUMENT_BYTES))));
        assertEquals(Problem.Kind.TOO_LARGE, p.kind());
        assertTrue(p.getMessage().contains(String.valueOf(Limits.MAX_DOCUMENT_BYTES)), p.getMessage());
    }

    @Test
    void csvColumnsFieldsAndLinesAreBoundedWithFileLineAndColumn() throws Exception {
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i <= Limits.MAX_CSV_COLUMNS; i++) wide.append(i == 0 ? "" : ",").append("c").append(i);
        CsvProblem p = read(wide + "\n");
        assertTrue(p.getMessage().contains("f.csv") && p.getMessage().contains("line 1") && p.getMessage().contains("columns"), p.getMessage());
        p = read("a,b\n1,2\n3," + "v".repeat(Limits.MAX_CSV_FIELD_CHARS + 1) + "\n");
        assertTrue(p.getMessage().contains("line 3") && p.getMessage().contains("column 'b'"), p.getMessage());
        p = read("a\n1\n2\n" + "w".repeat(Limits.MAX_CSV_LINE_CHARS + 10) + "\n");
        assertTrue(p.getMessage().contains("line 4") && p.getMessage().contains("longer than"), p.getMessage());
    }

    @Test
    void aTruncatedGzipIsACsvProblemWithoutJavaNames() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            for (int i = 0; i < 5000; i++) gz.write(("x" + i + ",y\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] half = java.util.Arrays.copyOf(b.toByteArray(), b.size() / 2);
        CsvProblem p = assertThrows(CsvProblem.class, () -> CsvFiles.read("d/f.csv.gz",
                CsvFiles.decoded("d/f.csv.gz", new ByteArrayInputStream(half)), ',', null, h -> { }, r -> { }));
        assertFalse(p.getMessage().matches("(?s).*(java\\.|Exception).*"), p.getMessage());
    }

    @Test
    void aReadyTargetWhoseFileIsMissingIsA409SayingRebuildNotAnEmpty200() {
        var resources = f.services.resources();
        var fields = Json.object();
        fields.put("name", "t");
        var t = resources.create(ApiFixture.ACCOUNT, ResourceType.TARGETS, fields);
        resources.setStatus(ApiFixture.ACCOUNT, ResourceType.TARGETS, t.id(), personae.core.resource.Status.READY, null);
        String note = f.call("GET", "/v1/targets/" + t.id() + "/download.csv", null).expect(409).json().path("note").asText();
        assertTrue(note.contains(t.id()) && note.contains("rebuild"), note);
        ((InMemoryBlobStore) f.services.blobs()).put(Keys.targetOutput(ApiFixture.ACCOUNT, t.id()), "a\n1\n");
        f.call("GET", "/v1/targets/" + t.id() + "/download.csv", null).expect(200);
    }

    @Test
    void anExcerptKeepsAtMostAHundredCharacters() {
        String e = Limits.excerpt("q".repeat(30_000_000 / 1000));
        assertTrue(e.length() < Limits.MAX_ECHO_CHARS + 30, e);
        assertEquals("short", Limits.excerpt("short"));
    }

    private static CsvProblem read(String csv) {
        return assertThrows(CsvProblem.class, () -> CsvFiles.read("d/f.csv",
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ',', null, h -> { }, r -> { }));
    }
}
