package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.core.resource.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * "No 5xx from bad input, ever" (issue 5): a corpus of malformed paths, headers, JSON bodies and CSV files, covering
 * every route of {@code PersonaeApi.routes}, sent byte for byte over a raw socket to the REAL local HTTP server
 * (DynamoDB Local + S3Mock behind it). Every answer must be the expected 4xx in the reference's error body, quote at
 * most a short excerpt of the input and name nothing internal (no Java class, exception, SDK or parser text).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    static final String KEY = "bad-input-test-key-0123456789";

    /** What no answer may contain (case-insensitive). */
    static final Pattern INTERNAL = Pattern.compile(
            "java\\.|exception|com\\.fasterxml|software\\.amazon|jackson|\\tat |\\bat [a-z]+\\.[a-z]+\\.|\\.java:\\d+",
            Pattern.CASE_INSENSITIVE);

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;
    int port;
    final Map<String, String> ids = new LinkedHashMap<>();

    /** One malformed request and the status it must get. */
    record Case(String name, int status, String method, String path, Map<String, String> headers, byte[] body) {}

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-bad-input-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
        port = URI.create(runtime.baseUrl()).getPort();
        // real resources for the routes that take ids (built or not, they exist)
        assertEquals(200, api.upload("orders", "orders.csv", TutorialEndToEndTest.SAMPLE).status());
        ids.put("dataset", created(api.postJson("/datasets", Tutorial.DATASET_BODY)));
        ids.put("cohort", created(api.postJson("/cohorts", "{\"name\": \"Customers\", \"stream_name\": \"orders\"}")));
        ids.put("persona_set", created(api.postJson("/persona_sets", "{\"name\": \"P\", \"cohort_id\": \"" + ids.get("cohort") + "\"}")));
        ids.put("scope", created(api.postJson("/scopes", "{\"name\": \"S\", \"population\": {\"cohort_ids\": [\""
                + ids.get("cohort") + "\"]}, \"payload\": {\"persona_set_ids\": [\"" + ids.get("persona_set") + "\"]}, \"preview\": true}")));
        ids.put("target", created(api.postJson("/targets", "{\"name\": \"T\", \"scope_id\": \"" + ids.get("scope")
                + "\", \"options\": {\"type\": \"hosted_csv\"}}")));
        ids.put("stream", api.get("/streams/orders").json().path("id").asText());
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    // ------------------------------------------------------------------ the corpus

    static final String LONG_ID = "x".repeat(3000);
    static final String SEG_300 = "a".repeat(300);

    List<Case> corpus() throws IOException {
        String ds = ids.get("dataset"), co = ids.get("cohort"), ps = ids.get("persona_set"), sc = ids.get("scope"),
                tg = ids.get("target");
        List<Case> c = new ArrayList<>();
        // ---- paths
        c.add(get("path of 3,000 characters", 414, "/v1/datasets/" + LONG_ID));
        c.add(get("dataset id of 300 characters", 400, "/v1/datasets/" + SEG_300));
        c.add(get("cohort id of 300 characters", 400, "/v1/cohorts/" + SEG_300));
        c.add(get("persona set id of 300 characters", 400, "/v1/persona_sets/" + SEG_300));
        c.add(get("scope id of 300 characters", 400, "/v1/scopes/" + SEG_300));
        c.add(get("target id of 300 characters", 400, "/v1/targets/" + SEG_300));
        c.add(get("account id of 300 characters", 400, "/v1/accounts/" + SEG_300));
        c.add(get("stream name of 300 characters", 400, "/v1/streams/" + SEG_300));
        c.add(req("stream created with a 300-character name", 400, "POST", "/v1/streams/" + SEG_300, null));
        c.add(req("stream created with a blank name", 400, "POST", "/v1/streams/%20", null));
        c.add(req("stream deleted by an unknown name", 404, "DELETE", "/v1/streams/nope", null));
        c.add(get("unknown account", 404, "/v1/accounts/someone-else"));
        c.add(get("NUL in an id", 400, "/v1/datasets/ab%00cd"));
        c.add(get("encoded slash in an id", 404, "/v1/datasets/a%2Fb"));
        c.add(get("unknown endpoint", 404, "/v1/nothing/here"));
        c.add(get("path outside /v1", 404, "/v2/datasets"));
        c.add(req("method not allowed", 405, "PUT", "/v1/datasets", json("{}")));
        c.add(req("delete a list", 405, "DELETE", "/v1/cohorts", null));
        c.add(get("id with non-ASCII", 404, "/v1/cohorts/%C3%A9t%C3%A9"));
        c.add(get("invalid UTF-8 in an id", 400, "/v1/targets/%FF%FE"));
        c.add(get("a % without two hex digits", 400, "/v1/datasets/%zz"));
        c.add(get("a lone % at the end", 400, "/v1/cohorts/abc%"));
        // ---- headers
        c.add(new Case("no Authorization", 401, "GET", "/v1/datasets", Map.of(), null));
        c.add(new Case("Authorization without Bearer", 401, "GET", "/v1/cohorts", Map.of("Authorization", "Basic Zm9vOmJhcg=="), null));
        c.add(new Case("Bearer without key", 401, "GET", "/v1/scopes", Map.of("Authorization", "Bearer"), null));
        c.add(new Case("key with impossible characters", 401, "GET", "/v1/targets", Map.of("Authorization", "Bearer <script>alert(1)</script>"), null));
        c.add(new Case("unknown key", 401, "GET", "/v1/persona_sets", Map.of("Authorization", "Bearer unknown-key-0123456789"), null));
        c.add(new Case("key of 10,000 characters", 431, "GET", "/v1/accounts", Map.of("Authorization", "Bearer " + "k".repeat(10_000)), null));
        c.add(new Case("header of 20,000 characters", 431, "GET", "/v1/accounts/current", auth(Map.of("X-Junk", "j".repeat(20_000))), null));
        Map<String, String> many = new TreeMap<>();
        for (int i = 0; i < 20; i++) many.put("X-Many-" + i, "m".repeat(2_000));
        c.add(new Case("40,000 characters of headers", 431, "GET", "/v1/uploads", auth(many), null));
        c.add(new Case("a ragged CSV sent as text/csv", 400, "POST", "/v1/uploads/bad/typed.csv",
                auth(Map.of("Content-Type", "text/csv")), "a,b\n1,2,3\n".getBytes(StandardCharsets.UTF_8)));
        // ---- JSON bodies, on every route that takes one
        c.add(req("trailing content after the object", 400, "PATCH", "/v1/cohorts/" + co, json("{\"name\":\"x\"} }}")));
        c.add(req("two objects", 400, "POST", "/v1/datasets", json("{} {}")));
        c.add(req("an array body", 400, "POST", "/v1/cohorts", json("[]")));
        c.add(req("a string body", 400, "POST", "/v1/persona_sets", json("\"hello\"")));
        c.add(req("a null body", 400, "POST", "/v1/scopes", json("null")));
        c.add(req("an empty body", 400, "POST", "/v1/targets", new byte[0]));
        c.add(req("an unclosed object", 400, "POST", "/v1/datasets", json("{\"name\": \"x\"")));
        c.add(req("garbage", 400, "PATCH", "/v1/datasets/" + ds, json("not json at all")));
        c.add(req("a single quote string", 400, "PATCH", "/v1/persona_sets/" + ps, json("{'name': 'x'}")));
        c.add(req("nested 200 levels", 400, "PATCH", "/v1/scopes/" + sc, json("{\"a\":".repeat(200) + "1" + "}".repeat(200))));
        c.add(req("arrays nested 40 levels", 400, "PATCH", "/v1/targets/" + tg, json("{\"limit\":" + "[".repeat(40) + "]".repeat(40) + "}")));
        c.add(req("a body of 200 KB", 413, "POST", "/v1/cohorts", json("{\"name\": \"" + "n".repeat(200_000) + "\"}")));
        c.add(req("a name of 5,000 characters", 400, "POST", "/v1/cohorts", json("{\"name\": \"" + "n".repeat(5_000) + "\", \"stream_name\": \"orders\"}")));
        c.add(req("a field name of 1,000 characters", 400, "POST", "/v1/cohorts", json("{\"" + "k".repeat(1_000) + "\": 1}")));
        c.add(req("an array of 1,500 ids", 400, "POST", "/v1/scopes", json("{\"name\": \"big\", \"preview\": true, \"population\": {\"cohort_ids\": ["
                + String.join(",", java.util.Collections.nCopies(1_500, "\"c\"")) + "]}}")));
        c.add(req("an array of 5,000 ids (over the body size)", 413, "POST", "/v1/scopes", json("{\"name\": \"big\", \"preview\": true, \"population\": {\"cohort_ids\": ["
                + String.join(",", java.util.Collections.nCopies(5_000, "\"" + co + "\"")) + "]}}")));
        c.add(req("an empty persona set id", 400, "POST", "/v1/scopes", json("{\"name\": \"e\", \"preview\": true, \"population\": {\"cohort_ids\": [\""
                + co + "\"]}, \"payload\": {\"persona_set_ids\": [\"\"]}}")));
        c.add(req("an empty cohort id", 400, "POST", "/v1/persona_sets", json("{\"name\": \"e\", \"cohort_id\": \"\"}")));
        c.add(req("a cohort id of 3,000 characters", 400, "POST", "/v1/persona_sets", json("{\"name\": \"e\", \"cohort_id\": \"" + LONG_ID + "\"}")));
        c.add(req("a scope id of 1,000 characters", 400, "POST", "/v1/targets", json("{\"name\": \"t\", \"scope_id\": \"" + "s".repeat(1_000)
                + "\", \"options\": {\"type\": \"hosted_csv\"}}")));
        c.add(req("a number of 300 digits", 400, "POST", "/v1/persona_sets", json("{\"name\": \"e\", \"cohort_id\": \"" + co
                + "\", \"number_of_clusters\": " + "9".repeat(300) + "}")));
        c.add(req("a huge exponent", 400, "POST", "/v1/persona_sets", json("{\"name\": \"e\", \"cohort_id\": \"" + co
                + "\", \"number_of_clusters\": 1e999999}")));
        c.add(req("invalid UTF-8 in a string", 400, "PATCH", "/v1/datasets/" + ds, concat("{\"name\": \"".getBytes(StandardCharsets.UTF_8),
                new byte[]{(byte) 0xC3, (byte) 0x28}, "\"}".getBytes(StandardCharsets.UTF_8))));
        c.add(req("a raw control character in a string", 400, "POST", "/v1/cohorts", json("{\"name\": \"a\u0001b\", \"stream_name\": }")));
        c.add(req("unknown fields", 400, "POST", "/v1/datasets", json("{\"name\": \"x\", \"nonsense\": true, \"" + "u".repeat(200) + "\": 1}")));
        c.add(req("wrong types", 400, "POST", "/v1/cohorts", json("{\"name\": 5, \"stream_name\": [], \"min_count\": \"many\"}")));
        c.add(req("a stream name of 2,000 characters", 400, "POST", "/v1/cohorts", json("{\"name\": \"c\", \"stream_name\": \""
                + "s".repeat(2_000) + "\"}")));
        c.add(req("a dataset with 1,200 streams", 400, "POST", "/v1/datasets", json(manyStreams(1_200))));
        c.add(req("a persona rename with trailing content", 400, "PATCH", "/v1/persona_sets/" + ps + "/personas/p1", json("{\"name\": \"x\"}]")));
        c.add(req("a persona rename of 5,000 characters", 400, "PATCH", "/v1/persona_sets/" + ps + "/personas/p1", json("{\"name\": \"" + "r".repeat(5_000) + "\"}")));
        c.add(req("a persona rename of an unknown persona", 404, "PATCH", "/v1/persona_sets/" + ps + "/personas/nope", json("{\"name\": \"x\"}")));
        c.add(req("a persona rename on a 300-character set id", 400, "PATCH", "/v1/persona_sets/" + SEG_300 + "/personas/p", json("{\"name\": \"x\"}")));
        c.add(req("a patch of an unknown target", 404, "PATCH", "/v1/targets/00000000-0000-0000-0000-000000000000", json("{\"name\": \"x\"}")));
        c.add(req("a read-only field in a patch", 400, "PATCH", "/v1/cohorts/" + co, json("{\"status\": \"ready\"}")));
        c.add(req("a merge patch that nulls a required field", 400, "PATCH", "/v1/scopes/" + sc, json("{\"population\": null}")));
        // ---- related-resource routes and downloads with bad ids
        for (String sub : List.of("datasets", "payload/persona_sets", "population/cohorts", "population/exclusion_cohorts",
                "payload/cohorts", "payload/outcomes", "payload/recommenders", "targets")) {
            c.add(get("scope " + sub + " of a 300-character id", 400, "/v1/scopes/" + SEG_300 + "/" + sub));
        }
        c.add(get("scope targets of an unknown scope", 404, "/v1/scopes/unknown/targets"));
        c.add(get("download of a 300-character target id", 400, "/v1/targets/" + SEG_300 + "/download.csv"));
        c.add(get("download of an unknown target", 404, "/v1/targets/unknown/download.csv"));
        c.add(req("delete of an unknown dataset", 404, "DELETE", "/v1/datasets/unknown", null));
        c.add(req("delete of a 300-character persona set id", 400, "DELETE", "/v1/persona_sets/" + SEG_300, null));
        c.add(req("delete of a dataset in use", 409, "DELETE", "/v1/datasets/" + ds, null));
        // ---- upload paths and names
        c.add(upload("a file name of 250 characters", 400, "orders", "f".repeat(246) + ".csv", "a,b\n1,2\n"));
        c.add(upload("a directory of 150 characters", 400, "d".repeat(150), "x.csv", "a,b\n1,2\n"));
        c.add(upload("a .bz2 upload", 400, "orders", "orders.csv.bz2", "BZh91AY&SY"));
        c.add(upload("a .gpg upload", 400, "orders", "orders.csv.gpg", "\u0085\u0001"));
        c.add(upload("a .pgp upload", 400, "orders", "orders.pgp", "-----BEGIN PGP MESSAGE-----"));
        c.add(upload("a bare .gz upload", 400, "orders", "orders.gz", "x"));
        c.add(upload("a dot-dot directory", 400, "..", "x.csv", "a\n1\n"));
        c.add(upload("a hidden file", 400, "orders", ".x.csv", "a\n1\n"));
        c.add(upload("a space in the name", 400, "orders", "my%20file.csv", "a\n1\n"));
        c.add(upload("an executable", 400, "orders", "run.exe", "MZ"));
        c.add(get("download of an unknown upload", 404, "/v1/uploads/orders/nope.csv"));
        c.add(get("download of an upload with a 300-character name", 400, "/v1/uploads/orders/" + SEG_300));
        c.add(req("delete of an unknown upload", 404, "DELETE", "/v1/uploads/orders/nope.csv", null));
        // ---- CSV bytes (stored in a directory no dataset reads; answered 400 with file, line and column)
        c.add(upload("a ragged row", 400, "bad", "ragged.csv", "a,b,c\n1,2,3\n4,5\n"));
        c.add(upload("an extra field", 400, "bad", "extra.csv", "a,b\n1,2,3\n"));
        c.add(upload("an unclosed quote", 400, "bad", "quote.csv", "a,b\n1,\"2\n3,4\n"));
        c.add(upload("text after a closing quote", 400, "bad", "stray.csv", "a,b\n\"1\"x,2\n"));
        c.add(upload("a duplicate column", 400, "bad", "dup.csv", "a,a\n1,2\n"));
        c.add(upload("a blank column name", 400, "bad", "blank.csv", "a,,c\n1,2,3\n"));
        c.add(upload("an empty file", 400, "bad", "empty.csv", ""));
        c.add(upload("only a byte-order mark", 400, "bad", "bom.csv", "\uFEFF"));
        c.add(upload("600 columns", 400, "bad", "wide.csv", columns(600)));
        c.add(upload("a column name of 300 characters", 400, "bad", "longname.csv", "id," + "c".repeat(300) + "\n1,2\n"));
        c.add(upload("a field of 70,000 characters", 400, "bad", "field.csv", "a,b\n1,\"" + "v".repeat(70_000) + "\"\n"));
        c.add(upload("a line of 1.2 million characters", 400, "bad", "line.csv", "a\n" + "w".repeat(1_200_000) + "\n"));
        c.add(new Case("garbage in a .csv.gz", 400, "POST", "/v1/uploads/bad/garbage.csv.gz", auth(Map.of("Content-Type", "application/octet-stream")),
                "definitely not gzip".getBytes(StandardCharsets.UTF_8)));
        c.add(new Case("a truncated .csv.gz", 400, "POST", "/v1/uploads/bad/truncated.csv.gz", auth(Map.of("Content-Type", "application/octet-stream")),
                truncatedGzip()));
        c.add(upload("binary bytes after a quote", 400, "bad", "binary.csv", "a,b\n\"\u0000\u0001\"\u0002,\u0003\n"));
        return c;
    }

    // ------------------------------------------------------------------ the test

    @Test
    void everyMalformedRequestIsA4xxInTheReferenceErrorBodyWithNothingInternal() throws Exception {
        List<Case> corpus = corpus();
        assertTrue(corpus.size() >= 60, "the corpus has at least 60 cases, has " + corpus.size());
        Map<String, Integer> byClass = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Case k : corpus) {
            Raw r = send(k);
            byClass.merge(r.status / 100 + "xx", 1, Integer::sum);
            byStatus.merge(r.status, 1, Integer::sum);
            String why = check(k, r);
            if (why != null) failures.add(k.name() + ": " + why);
        }
        System.out.println("[BadInputTest] " + corpus.size() + " bad inputs: " + byClass + " by status " + byStatus);
        assertTrue(failures.isEmpty(), failures.size() + " of " + corpus.size() + " bad inputs broke a rule:\n"
                + String.join("\n", failures));
        assertFalse(byClass.containsKey("5xx"), "no bad input is a 5xx: " + byClass);
    }

    @Test
    void anOverLongFileNameIsRefusedAndNothingIsStored() throws Exception {
        String name = "f".repeat(246) + ".csv";
        Raw r = send(upload("over-long name", 400, "orders", name, "a,b\n1,2\n"));
        assertEquals(400, r.status, r.body);
        assertTrue(api.get("/uploads").json().findValuesAsText("subpath").stream().noneMatch(s -> s.contains(name)),
                "an over-long file name is not listed");
        assertTrue(runtime.services().blobs().list("uploads/").stream().noneMatch(b -> b.key().contains(name)),
                "an over-long file name stores nothing where datasets read");
        assertTrue(runtime.services().blobs().list("uploads/").stream().noneMatch(b -> b.key().endsWith(".bz2")),
                "nothing unreadable is stored");
    }

    @Test
    void anUploadWhoseBytesAreMissingIsAnErrorSayingWhatToDoNotAnEmpty200() throws Exception {
        assertEquals(200, api.send("POST", "/uploads/gone/g.csv", "application/octet-stream",
                java.net.http.HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).status());
        var record = runtime.services().resources().require(runtime.accountId(), personae.core.resource.ResourceType.UPLOADS, "gone/g.csv");
        runtime.services().blobs().delete(record.internal().path("object").asText());
        runtime.services().blobs().delete("uploads/" + runtime.accountId() + "/gone/g.csv");
        Tutorial.Answer a = api.get("/uploads/gone/g.csv");
        assertEquals(409, a.status(), "a listed upload whose bytes are missing is a 409, not an empty 200: " + a.body());
        assertTrue(a.json().path("note").asText().contains("gone/g.csv") && a.json().path("note").asText().contains("upload it again"), a.body());
    }

    /** Why an answer breaks a rule, or null. */
    private String check(Case k, Raw r) {
        if (r.status >= 500) return "status " + r.status + ": " + abbreviate(r.body);
        if (r.status != k.status()) return "status " + r.status + ", expected " + k.status() + ": " + abbreviate(r.body);
        if (INTERNAL.matcher(r.body).find()) return "internal text in the answer: " + abbreviate(r.body);
        if (r.body.length() > 4_000) return "the answer is " + r.body.length() + " characters: it echoes the input";
        JsonNode body;
        try {
            body = Json.read(r.body);
        } catch (RuntimeException e) {
            return "not JSON: " + abbreviate(r.body);
        }
        if (!body.path("error").isTextual() || !body.path("id").isTextual() || !body.path("note").isTextual()) {
            return "not the reference's error body: " + abbreviate(r.body);
        }
        if (!r.contentType.startsWith("application/json")) return "content type " + r.contentType;
        for (String quoted : body.path("note").asText().split("'")) {
            if (quoted.length() > 160 && !quoted.contains(" ")) return "the note quotes " + quoted.length() + " characters of input";
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ------------------------------------------------------------------ a raw HTTP/1.1 client

    record Raw(int status, String contentType, String body) {}

    /** Sends the case byte for byte (no client-side encoding or checks) and reads the answer to the end. */
    Raw send(Case k) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder(k.method() + " " + k.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            k.headers().forEach((n, v) -> head.append(n).append(": ").append(v).append("\r\n"));
            byte[] body = k.body() == null ? new byte[0] : k.body();
            if (k.body() != null) head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            byte[] all = readAll(s.getInputStream());
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String headers = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            int status = Integer.parseInt(headers.split(" ", 3)[1]);
            String type = "";
            boolean chunked = false;
            for (String line : headers.split("\r\n")) {
                String l = line.toLowerCase(Locale.ROOT);
                if (l.startsWith("content-type:")) type = line.substring(13).trim();
                if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
            }
            return new Raw(status, type, chunked ? dechunk(rest) : rest);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (java.net.SocketException reset) {
            // the server answered and closed before reading everything we sent
        }
        return b.toByteArray();
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) break;
            int n = Integer.parseInt(s.substring(i, eol).trim(), 16);
            if (n == 0) break;
            out.append(s, eol + 2, Math.min(s.length(), eol + 2 + n));
            i = eol + 2 + n + 2;
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ corpus helpers

    private Map<String, String> auth(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        h.put("Authorization", "Bearer " + KEY);
        return h;
    }

    private Case get(String name, int status, String path) {
        return new Case(name, status, "GET", path, auth(Map.of()), null);
    }

    private Case req(String name, int status, String method, String path, byte[] body) {
        return new Case(name, status, method, path, auth(Map.of("Content-Type", "application/json")), body);
    }

    private Case upload(String name, int status, String dir, String file, String content) {
        return new Case(name, status, "POST", "/v1/uploads/" + dir + "/" + file,
                auth(Map.of("Content-Type", "application/octet-stream")), content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    private static String columns(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("c").append(i);
        b.append('\n');
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(i);
        return b.append('\n').toString();
    }

    private static String manyStreams(int n) {
        StringBuilder b = new StringBuilder("{\"name\": \"many\", \"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \"orders\"},"
                + " \"identity_sets\": {\"customer\": {\"email\": \"email\"}}, \"output_to_streams\": {");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"stream_").append(i).append("\": {\"data_map\": {\"datetime\": {\"column_name\": \"order_datetime\"}}}");
        }
        return b.append("}}").toString();
    }

    private static byte[] truncatedGzip() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            for (int i = 0; i < 2_000; i++) gz.write(("row" + i + ",value" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = b.toByteArray();
        return java.util.Arrays.copyOf(all, all.length / 2);
    }
}
