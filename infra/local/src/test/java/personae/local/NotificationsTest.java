package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import personae.core.resource.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The local runtime's webhook ({@code PERSONAE_WEBHOOK_URL}): one event per status change to ready or error, with the
 * resource's kind, id, name and error; a dead webhook never stalls a build.
 */
class NotificationsTest {

    static final String KEY = "notifications-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(2);
    static final String DATASET = "{\"name\": \"%s\", \"options\": {\"type\": \"hosted_csv\", \"upload_directory\": \"%s\"},"
            + " \"identity_sets\": {\"c\": {\"email\": \"email\"}}, \"output_to_streams\": {\"orders_%s\": {\"data_map\": {"
            + "\"datetime\": {\"column_name\": \"date\", \"format\": \"date_iso8601\"}}}}}";

    static String dataset(Tutorial api, Path dir, String name, String csv) throws IOException {
        Path f = dir.resolve(name + ".csv");
        Files.writeString(f, csv);
        assertEquals(200, api.upload(name, "one.csv", f).status());
        Tutorial.Answer a = api.postJson("/datasets", DATASET.formatted(name, name, name));
        assertEquals(201, a.status(), a.body());
        return a.json().path("id").asText();
    }

    @Test
    void theWebhookHearsOfEachReadyAndEachErrorOnce() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            events.add(Json.read(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-notify-");
        URI url = URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dir, KEY).withWebhook(url))) {
            Tutorial api = new Tutorial(runtime.baseUrl(), KEY);
            String good = dataset(api, dir, "good", "email,date\na@x.com,2024-01-02\n");
            String bad = dataset(api, dir, "bad", "email,date\na@x.com,not a date\n");
            assertEquals("ready", api.awaitBuilt("/datasets/" + good, BUILD, new ArrayList<>()).path("status").asText());
            assertEquals("error", api.awaitBuilt("/datasets/" + bad, BUILD, new ArrayList<>()).path("status").asText());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (events.size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(500); // a duplicate would arrive by now
            assertEquals(2, events.size(), "one event per build that ended: " + events);
            JsonNode ready = events.stream().filter(e -> e.path("id").asText().equals(good)).findFirst().orElseThrow();
            JsonNode error = events.stream().filter(e -> e.path("id").asText().equals(bad)).findFirst().orElseThrow();
            assertEquals("ready", ready.path("status").asText(), ready.toString());
            assertEquals("datasets", ready.path("kind").asText());
            assertEquals("good", ready.path("name").asText());
            assertEquals(runtime.accountId(), ready.path("account").asText());
            assertEquals("error", error.path("status").asText(), error.toString());
            assertEquals(api.get("/datasets/" + bad).json().path("status_error").asText(), error.path("status_error").asText(),
                    "the error event says why, as the dataset does");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aDeadWebhookNeverStallsABuild() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-dead-hook-");
        URI url = URI.create("http://127.0.0.1:" + closed + "/hook");
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dir, KEY).withWebhook(url))) {
            Tutorial api = new Tutorial(runtime.baseUrl(), KEY);
            String first = dataset(api, dir, "first", "email,date\na@x.com,2024-01-02\n");
            assertEquals("ready", api.awaitBuilt("/datasets/" + first, BUILD, new ArrayList<>()).path("status").asText());
            // the next build starts while the first one's event is still being retried
            String second = dataset(api, dir, "second", "email,date\nb@x.com,2024-01-03\n");
            assertEquals("ready", api.awaitBuilt("/datasets/" + second, BUILD, new ArrayList<>()).path("status").asText(),
                    "builds go on while the webhook is down");
        }
    }
}
