package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.local.Tutorial.Answer;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static personae.local.Tutorial.created;

/**
 * The dataset options that decide which rows count, through the local HTTP API: {@code upsert_columns} (the newest row
 * of a key wins), {@code incremental_column} (a later file keeps only newer rows), {@code replace_all_with_latest_file},
 * {@code preview} (columns detected, nothing ingested) and {@code output_all_columns_as_traits}. Files are uploaded
 * one after another, over a second apart, so "newer" is the upload time and not the file name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetOptionsTest {

    static final String KEY = "dataset-options-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(2);

    Path dataDir;
    LocalRuntime runtime;
    Tutorial api;

    @BeforeAll
    void start() throws IOException {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-options-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        api = new Tutorial(runtime.baseUrl(), KEY);
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    void upload(String directory, String file, String csv) throws IOException {
        Path p = dataDir.resolve(directory + "-" + file);
        Files.writeString(p, csv);
        assertEquals(200, api.upload(directory, file, p).status());
        sleep(1100); // the next upload is newer by the store's clock (S3 times have second resolution)
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String dataset(String directory, String extra) {
        return "{\"name\": \"" + directory + "\", \"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \""
                + directory + "\"}, \"identity_sets\": {}, \"reference_key_columns\": [\"CustomerID\"], "
                + "\"output_to_streams\": {\"orders_" + directory + "\": {\"data_map\": {"
                + "\"datetime\": {\"column_name\": \"Date\", \"format\": \"date_iso8601\"}, "
                + "\"value\": {\"column_name\": \"Total\"}}}}" + extra + "}";
    }

    /** The dataset once it is ready after at least {@code builds} builds (each build adds to {@code updates}). */
    JsonNode built(String id, int builds) {
        long deadline = System.nanoTime() + BUILD.toNanos();
        while (true) {
            JsonNode ds = api.awaitBuilt("/datasets/" + id, BUILD, new ArrayList<>());
            if (ds.path("status").asText().equals("error")) throw new AssertionError("dataset failed: " + ds);
            if (ds.path("updates").size() >= builds) return ds;
            if (System.nanoTime() > deadline) throw new AssertionError("dataset " + id + " did not rebuild: " + ds);
            sleep(50);
        }
    }

    static long dropped(JsonNode ds, String reason) {
        return ds.path("rows_dropped").path(reason).asLong(-1);
    }

    @Test
    void withUpsertColumnsTheNewestRowOfAKeyWinsAcrossFiles() throws IOException {
        // the older file is named b.csv and the newer a.csv: newest is by upload, not by name
        upload("upsert", "b.csv", """
                OrderID,CustomerID,Date,Total
                O1,C1,2024-01-01,10
                O2,C2,2024-01-02,20
                O3,C2,2024-01-03,30
                """);
        String id = created(api.postJson("/datasets", dataset("upsert", ", \"upsert_columns\": [\"OrderID\"]")));
        JsonNode first = built(id, 1);
        assertEquals(2, first.path("identified_count").asLong(), "C1 and C2: " + first);
        assertEquals(0, dropped(first, "superseded"), first.toString());

        upload("upsert", "a.csv", """
                OrderID,CustomerID,Date,Total
                O2,C1,2024-01-02,20
                O3,C1,2024-01-03,30
                """);
        JsonNode second = built(id, 2);
        assertEquals(5, second.path("row_count").asLong(), "every row read is counted: " + second);
        assertEquals(2, dropped(second, "superseded"),
                "the two older rows of orders O2 and O3 are superseded by the newer file's: " + second.path("rows_dropped"));
        assertEquals(1, second.path("identified_count").asLong(),
                "the newest rows move O2 and O3 to C1, so C2 has no row left: " + second);
    }

    @Test
    void withAnIncrementalColumnALaterFileKeepsOnlyRowsNewerThanEverythingBefore() throws IOException {
        upload("incremental", "jan.csv", """
                OrderID,CustomerID,Date,Total
                O1,C1,2024-01-01,10
                O2,C2,2024-01-03,20
                """);
        String id = created(api.postJson("/datasets", dataset("incremental", ", \"incremental_column\": \"Date\"")));
        JsonNode first = built(id, 1);
        assertEquals(2, first.path("identified_count").asLong(), first.toString());

        upload("incremental", "feb.csv", """
                OrderID,CustomerID,Date,Total
                O3,C3,2024-01-02,30
                O4,C4,2024-02-05,40
                """);
        JsonNode second = built(id, 2);
        assertEquals(1, dropped(second, "not_newer_than_last_ingestion"),
                "C3's row (Jan 2) is older than the last ingestion's newest row (Jan 3): " + second.path("rows_dropped"));
        assertEquals(3, second.path("identified_count").asLong(), "C1, C2 and C4: " + second);

        // a rebuild re-reads both files with the marks they were first read with: nothing changes
        assertEquals(200, api.send("PATCH", "/datasets/" + id, "application/json",
                HttpRequest.BodyPublishers.ofString("{\"name\": \"incremental again\"}")).status());
        JsonNode third = built(id, 3);
        assertEquals(3, third.path("identified_count").asLong(), "a rebuild keeps the same rows: " + third);
        assertEquals(1, dropped(third, "not_newer_than_last_ingestion"), third.path("rows_dropped").toString());
    }

    @Test
    void anIncrementalColumnThatIsNotADateOrANumberFailsTheBuildNamingFileLineAndColumn() throws IOException {
        upload("incremental_bad", "one.csv", "OrderID,CustomerID,Date,Total\nO1,C1,2024-01-01,10\n");
        String id = created(api.postJson("/datasets", dataset("incremental_bad", ", \"incremental_column\": \"OrderID\"")));
        JsonNode ds = api.awaitBuilt("/datasets/" + id, BUILD, new ArrayList<>());
        assertEquals("error", ds.path("status").asText(), ds.toString());
        String error = ds.path("status_error").asText();
        assertTrue(error.contains("one.csv") && error.contains("OrderID") && error.contains("line 2"),
                "the error names the file, line and column: " + error);
    }

    @Test
    void replaceAllWithLatestFileReadsOnlyTheNewestUpload() throws IOException {
        upload("replace", "z.csv", "OrderID,CustomerID,Date,Total\nO1,C1,2024-01-01,10\nO2,C2,2024-01-02,20\n");
        String body = dataset("replace", "").replace("\"upload_directory\": \"replace\"",
                "\"upload_directory\": \"replace\", \"replace_all_with_latest_file\": true");
        String id = created(api.postJson("/datasets", body));
        assertEquals(2, built(id, 1).path("identified_count").asLong());
        upload("replace", "a.csv", "OrderID,CustomerID,Date,Total\nO9,C9,2024-03-01,90\n");
        JsonNode ds = built(id, 2);
        assertEquals(1, ds.path("row_count").asLong(), "only the newest file is read: " + ds);
        assertEquals(1, ds.path("identified_count").asLong(), ds.toString());
    }

    @Test
    void aDatasetShowsTheIdOfEachStreamItWritesAndTheStreamIsReadyOnceTheDatasetIs() throws IOException {
        Answer unfed = api.send("POST", "/streams/nobody_writes_here", "application/json", HttpRequest.BodyPublishers.noBody());
        assertEquals("new", unfed.json().path("status").asText(), "a stream no dataset feeds is new: " + unfed.body());
        upload("streamed", "one.csv", "OrderID,CustomerID,Date,Total\nO1,C1,2024-01-01,10\n");
        String id = created(api.postJson("/datasets", dataset("streamed", "")));
        JsonNode ds = built(id, 1);
        JsonNode stream = api.get("/streams/orders_streamed").json();
        assertEquals(stream.path("id").asText(), ds.path("output_to_streams").path("orders_streamed").path("stream_id")
                .asText(), "output_to_streams.*.stream_id is the stream's id: " + ds.path("output_to_streams"));
        assertEquals("ready", stream.path("status").asText(), "the stream of a ready dataset is ready: " + stream);
    }

    @Test
    void privacySuppressIsModelledButNeverOutputAndPrivacyDeleteIsNeither() throws IOException {
        String[] ids = new String[3];
        String[] privacy = {null, "suppress", "delete"};
        for (int i = 0; i < 3; i++) {
            String dir = "privacy" + i;
            upload(dir, "one.csv", "OrderID,CustomerID,Date,Total\nO1,P" + i + "a,2024-01-01,10\nO2,P" + i + "b,2024-01-02,20\n");
            String body = dataset(dir, privacy[i] == null ? "" : ", \"privacy\": \"" + privacy[i] + "\"")
                    .replace("orders_" + dir, "orders_shared");
            ids[i] = created(api.postJson("/datasets", body));
        }
        for (String id : ids) built(id, 1);
        String cohort = created(api.postJson("/cohorts", "{\"name\": \"Shared\", \"stream_name\": \"orders_shared\"}"));
        JsonNode c = api.awaitBuilt("/cohorts/" + cohort, BUILD, new ArrayList<>());
        assertEquals(4, c.path("population_count").asLong(),
                "the cohort models the plain and the suppressed dataset's people, not the deleted one's: " + c);
        String scope = created(api.postJson("/scopes", "{\"name\": \"Shared\", \"population\": {\"cohort_ids\": [\""
                + cohort + "\"]}, \"payload\": {}, \"preview\": false}"));
        String target = created(api.postJson("/targets", "{\"name\": \"Shared CSV\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}}"));
        JsonNode sc = api.awaitBuilt("/scopes/" + scope, BUILD, new ArrayList<>());
        assertEquals(2, sc.path("population_count").asLong(), "only the plain dataset's people are output: " + sc);
        api.awaitBuilt("/targets/" + target, BUILD, new ArrayList<>());
        String csv = api.get("/targets/" + target + "/download.csv").body();
        assertTrue(csv.contains("P0a") && csv.contains("P0b"), csv);
        assertFalse(csv.contains("P1a") || csv.contains("P2a"), "no suppressed or deleted person in the target: " + csv);
    }

    @Test
    void aPreviewDatasetDetectsColumnsAndIngestsNothing() throws IOException {
        upload("preview", "one.csv", "OrderID,CustomerID,Date,Total\nO1,C1,2024-01-01,10\nO2,,2024-01-02,\n");
        String id = created(api.postJson("/datasets", dataset("preview", ", \"preview\": true")));
        JsonNode ds = built(id, 1);
        Set<String> columns = new TreeSet<>();
        ds.path("detected_columns").forEach(c -> columns.add(c.path("name").asText()));
        assertEquals(new TreeSet<>(List.of("OrderID", "CustomerID", "Date", "Total")), columns, ds.toString());
        JsonNode total = null;
        for (JsonNode c : ds.path("detected_columns")) if (c.path("name").asText().equals("Total")) total = c;
        assertEquals(0.5, total.path("fill_rate").asDouble(), "fill rates come from the rows read: " + total);
        assertFalse(ds.has("identified_count") || ds.has("row_count"),
                "a preview ingests nothing, so it reports no ingestion counts: " + ds);
    }

    @Test
    void outputAllColumnsAsTraitsMakesEveryOtherColumnATraitAndCannotBeCombinedWithStreams() throws IOException {
        upload("crm", "one.csv", """
                CustomerID,Tier,Region,Internal note,Date,Total
                C1,gold,north,x,2024-01-01,10
                C2,silver,south,y,2024-01-02,20
                """);
        String id = created(api.postJson("/datasets", dataset("crm", "")));
        built(id, 1);

        Answer combined = api.send("PATCH", "/datasets/" + id, "application/json", HttpRequest.BodyPublishers
                .ofString("{\"output_all_columns_as_traits\": {\"exclude\": [\"Internal note\", \"Date\", \"Total\"]}}"));
        assertEquals(400, combined.status(), combined.body());
        assertTrue(combined.body().contains("/output_all_columns_as_traits")
                && combined.body().contains("output_to_streams"), "names the field and the clash: " + combined.body());

        Answer patched = api.send("PATCH", "/datasets/" + id, "application/json", HttpRequest.BodyPublishers.ofString(
                "{\"output_to_streams\": null, \"output_all_columns_as_traits\": {\"exclude\": [\"Internal note\", \"Date\", \"Total\"]}}"));
        assertEquals(200, patched.status(), patched.body());
        JsonNode ds = built(id, 2);
        assertEquals(2, ds.path("identified_count").asLong(), ds.toString());
        Set<String> traits = new TreeSet<>();
        api.get("/traits").json().forEach(t -> traits.add(t.path("name").asText()));
        assertTrue(traits.containsAll(List.of("Tier", "Region")), "every column not excluded is a trait: " + traits);
        assertFalse(traits.contains("Internal note"), "an excluded column is not: " + traits);
        assertFalse(traits.contains("CustomerID"), "the column that identifies people is not a trait: " + traits);
    }
}
