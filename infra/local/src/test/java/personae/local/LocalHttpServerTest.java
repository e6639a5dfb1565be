package personae.local;

import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.api.ApiRequest;
import personae.core.api.ApiResponse;
import personae.core.api.PersonaeApi;
import personae.core.resource.Json;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local HTTP server: downloads waiting for a target never hold up other requests. */
class LocalHttpServerTest {

    static final String KEY = "local-http-key-0123456789";
    static final Duration DOWNLOAD_WAIT = Duration.ofSeconds(5);

    @Test
    void manyDownloadsWaitingForATargetDoNotBlockOtherRequests() throws Exception {
        Services services = new Services(new InMemoryMetadataStore(), new InMemoryBlobStore(), new RecordingWorkflowStarter(),
                Clock.systemUTC(), new Services.Settings(Long.MAX_VALUE, -1, Duration.ofHours(1), DOWNLOAD_WAIT, null));
        PersonaeApi.ensureAccount(services, "acct", "Account", KEY);
        PersonaeApi api = new PersonaeApi(services);
        // a target that never builds (nothing runs the workflows), so every download waits its full time
        String cohort = post(api, "/v1/cohorts", "{\"name\": \"c\", \"stream_name\": \"s\"}");
        String scope = post(api, "/v1/scopes", "{\"name\": \"s\", \"population\": {\"cohort_ids\": [\"" + cohort
                + "\"]}, \"payload\": {}, \"preview\": false}");
        String target = post(api, "/v1/targets", "{\"name\": \"t\", \"scope_id\": \"" + scope + "\", \"options\":"
                + " {\"type\": \"hosted_csv\"}, \"representation\": {\"mode\": \"identified\", \"aggregate\": \"person\"}}");

        try (LocalHttpServer server = LocalHttpServer.start(0, api);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String base = "http://127.0.0.1:" + server.port() + "/v1";
            List<CompletableFuture<HttpResponse<String>>> downloads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                downloads.add(http.sendAsync(get(base + "/targets/" + target + "/download.csv"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(1000); // all of them are waiting now

            HttpResponse<String> account = http.send(get(base + "/accounts/current"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, account.statusCode(), account.body());
            // an ordering, not a timing: the GET is answered while every download is still waiting
            assertTrue(downloads.stream().noneMatch(CompletableFuture::isDone),
                    "the GET had to wait for the downloads to give up");

            for (var d : downloads) assertEquals(409, d.get().statusCode(), "still building after the wait");
        }
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(30)).build();
    }

    static String post(PersonaeApi api, String path, String body) {
        ApiResponse r = api.handle(ApiRequest.of("POST", path, Map.of("Authorization", "Bearer " + KEY),
                body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, r.status(), r.bodyText());
        return Json.read(r.bodyText()).path("id").asText();
    }
}
