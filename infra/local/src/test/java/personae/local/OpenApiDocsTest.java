package personae.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.api.OpenApi;
import personae.core.api.PersonaeApi;
import personae.core.resource.Json;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Through the local HTTP server: {@code GET /v1/openapi.json} without a key, and Swagger UI at {@code /docs} with
 * every file its page loads; in headless Chromium (when the machine has it) the page renders the API's operations.
 */
class OpenApiDocsTest {

    private static LocalHttpServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() {
        Services services = new Services(new InMemoryMetadataStore(), new InMemoryBlobStore(), new RecordingWorkflowStarter(),
                Clock.systemUTC(), new Services.Settings(Long.MAX_VALUE, -1, Duration.ofHours(1), Duration.ofSeconds(1), null));
        PersonaeApi.ensureAccount(services, "acct-docs", "Docs account", "docs-key-0123456789");
        server = LocalHttpServer.start(0, new PersonaeApi(services));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOpenApiDocumentIsServedWithoutAKey() throws Exception {
        HttpResponse<String> r = get(OpenApi.PATH);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "served as JSON");
        var doc = Json.read(r.body());
        assertEquals("3.1.0", doc.path("openapi").asText(), "an OpenAPI 3.1 document");
        assertTrue(doc.path("paths").has("/v1/persona_sets/{id}/analysis/flow"), "it lists the API's paths");
        assertFalse(r.body().contains("acct-docs") || r.body().contains("Docs account"), "it names no account");
        assertEquals(401, get("/v1/datasets").statusCode(), "the rest of the API still needs the key");
    }

    @Test
    void swaggerUiIsAtDocsAndEveryFileItsPageLoadsIsServed() throws Exception {
        for (String page : List.of("/docs", "/docs/")) {
            HttpResponse<String> r = get(page);
            assertEquals(200, r.statusCode(), page + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page + " is a page");
            assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent(), page + " has a CSP");
        }
        String html = get("/docs").body();
        List<String> files = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        while (m.find()) files.add(m.group(1));
        assertTrue(files.size() >= 4, "the page loads the library, its styles and the initializer: " + files);
        for (String f : files) {
            HttpResponse<String> r = get(f);
            assertEquals(200, r.statusCode(), f + " (loaded by /docs) is served");
            assertTrue(r.body().length() > 100, f + " has content");
        }
        String init = get("/docs/personae-docs.js").body();
        assertTrue(init.contains("url: \"" + OpenApi.PATH + "\""), "Swagger UI reads this server's document");
        for (String other : List.of("/docs/swagger-ui.js.map", "/docs/index.css", "/docs/lib/x.js")) {
            assertEquals(404, get(other).statusCode(), other + ": only the files the page loads are served");
        }
    }

    @Test
    void inABrowserSwaggerUiShowsTheApisOperations() throws Exception {
        File chromium = new File("/usr/bin/chromium");
        Assumptions.assumeTrue(chromium.canExecute(), "no chromium on this machine (apt-get install -y chromium; .ci/run does)");
        Path screenshots = Path.of("infra/local/target/screenshots");
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("docs-chromium");
        List<String> common = List.of(chromium.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--window-size=1280,2000");
        List<String> dump = new ArrayList<>(common);
        dump.add("--dump-dom");
        dump.add(base + "/docs");
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        assertTrue(dom.contains("Personae API (Faraday v1 compatible)"), "the page shows the document's title");
        assertTrue(dom.contains("opblock"), "the page shows operations");
        assertTrue(dom.contains("/v1/persona_sets/{id}/analysis/flow"), "the page lists the API's paths");
        assertFalse(dom.contains("Failed to load API definition"), "the document loaded");
        List<String> shot = new ArrayList<>(common);
        shot.add("--screenshot=" + screenshots.toAbsolutePath().resolve("docs.png"));
        shot.add(base + "/docs");
        Process s = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(s.waitFor(60, TimeUnit.SECONDS), "chromium took the screenshot");
    }
}
