package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.resource.Json;
import personae.core.sample.OrdersGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faraday's persona tutorial as an HTTP client ({@code java.net.http}): upload a CSV, create a dataset, a cohort, a
 * persona set, a scope and a hosted-CSV target, then download the CSV. Each request is sent right after the previous
 * one, as the tutorial does; used by the end-to-end tests and the benchmark.
 */
public final class Tutorial {

    /** The identity sets and stream of the sample orders CSV ({@code samples/orders.csv}). */
    public static final String DATASET_BODY = OrdersGenerator.DATASET_BODY;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String key;

    public Tutorial(String baseUrl, String apiKey) {
        this.base = baseUrl;
        this.key = apiKey;
    }

    /** An HTTP answer: status, body and headers. */
    public record Answer(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            return Json.read(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public Answer send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (contentType != null) b.header("Content-Type", contentType);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer postJson(String path, String json) {
        return send("POST", path, "application/json", HttpRequest.BodyPublishers.ofString(json));
    }

    public Answer upload(String directory, String file, Path csv) {
        try {
            return send("POST", "/uploads/" + directory + "/" + file, "application/octet-stream",
                    HttpRequest.BodyPublishers.ofFile(csv));
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids the tutorial created. */
    public record Ids(String dataset, String cohort, String personaSet, String scope, String target) {}

    /** The six create requests, back to back (the upload must already be there). */
    public Ids createAll(boolean preview) {
        String dataset = created(postJson("/datasets", DATASET_BODY));
        String cohort = created(postJson("/cohorts", "{\"name\": \"Customers\", \"stream_name\": \"orders\"}"));
        String personaSet = created(postJson("/persona_sets",
                "{\"name\": \"Customer personas\", \"cohort_id\": \"" + cohort + "\"}"));
        String scope = created(postJson("/scopes", "{\"name\": \"Customer personas " + System.nanoTime()
                + "\", \"population\": {\"cohort_ids\": [\"" + cohort + "\"]}, \"payload\": {\"persona_set_ids\": [\""
                + personaSet + "\"]}, \"preview\": " + preview + "}"));
        String target = created(postJson("/targets", "{\"name\": \"Personas CSV\", \"scope_id\": \"" + scope
                + "\", \"options\": {\"type\": \"hosted_csv\"}, \"representation\": {\"mode\": \"identified\","
                + " \"aggregate\": \"person\"}}"));
        return new Ids(dataset, cohort, personaSet, scope, target);
    }

    /** The id of the resource a POST created; anything but a 201 throws, with the answer's body. */
    public static String created(Answer a) {
        if (a.status() != 201) throw new IllegalStateException("expected 201, got " + a.status() + ": " + a.body());
        return a.json().get("id").asText();
    }

    /** {@link #awaitBuilt}, and the resource must be ready: an error throws with its document. */
    public JsonNode awaitReady(String path, Duration timeout) {
        JsonNode doc = awaitBuilt(path, timeout, new ArrayList<>());
        if (!doc.path("status").asText().equals("ready")) throw new IllegalStateException(path + " is not ready: " + doc);
        return doc;
    }

    /** Uploads {@code csv} as {@code directory/file}, written first to {@code scratch}; anything but a 200 throws. */
    public void uploadText(Path scratch, String directory, String file, String csv) {
        Path p = scratch.resolve(directory + "-" + file);
        try {
            java.nio.file.Files.writeString(p, csv);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        Answer a = upload(directory, file, p);
        if (a.status() != 200) throw new IllegalStateException("upload of " + directory + "/" + file + ": " + a.body());
    }

    /**
     * Polls a resource until it is ready or in error; returns the last document and records every status seen (in
     * order, without repeats) in {@code seen}.
     */
    public JsonNode awaitBuilt(String path, Duration timeout, List<String> seen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode doc = get(path).json();
            String status = doc.path("status").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) seen.add(status);
            if (status.equals("ready") || status.equals("error")) return doc;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " still " + status + " after " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every resource of {@code ids} awaited in order; the statuses each went through. */
    public Map<String, List<String>> awaitAll(Ids ids, Duration timeout) {
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (String path : List.of("/datasets/" + ids.dataset(), "/cohorts/" + ids.cohort(),
                "/persona_sets/" + ids.personaSet(), "/scopes/" + ids.scope(), "/targets/" + ids.target())) {
            List<String> statuses = new ArrayList<>();
            JsonNode doc = awaitBuilt(path, timeout, statuses);
            if (doc.path("status").asText().equals("error")) {
                throw new IllegalStateException(path + " failed: " + doc.path("status_error").asText());
            }
            seen.put(path, statuses);
        }
        return seen;
    }
}
