package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import personae.core.resource.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faraday's published client, {@code @fdy/faraday-js@0.1.172} from npm, calls every analysis and traits method against
 * the local runtime after the tutorial without throwing (its deserializers {@code .map} some arrays unchecked and reject
 * unknown {@code data_type}s). Runs when {@code node} and {@code npm} are on the PATH and the client installs (into
 * {@code target/faraday-js}); skipped with the reason otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaradayClientTest {

    static final String KEY = "faraday-js-key-0123456789";
    static final String CLIENT = "@fdy/faraday-js@0.1.172";
    static final Path CLIENT_DIR = Path.of("target/faraday-js");

    Path dataDir;
    LocalRuntime runtime;

    record Run(int exit, String out, String err) {}

    static Run run(List<String> command, long seconds) {
        try {
            Path out = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "node-out", ".txt");
            Path err = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "node-err", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "", command.get(0) + " did not finish in " + seconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            return new Run(-1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", "interrupted");
        }
    }

    @BeforeAll
    void start() throws IOException {
        Assumptions.assumeTrue(run(List.of("node", "--version"), 30).exit() == 0, "node is not on the PATH");
        Assumptions.assumeTrue(run(List.of("npm", "--version"), 60).exit() == 0, "npm is not on the PATH");
        if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules/@fdy/faraday-js"))) {
            Files.createDirectories(CLIENT_DIR);
            Run install = run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix",
                    CLIENT_DIR.toString(), CLIENT), 300);
            Assumptions.assumeTrue(install.exit() == 0, "npm could not install " + CLIENT + ": " + install.err());
        }
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-fdy-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    Tutorial tutorial;
    Tutorial.Ids ids;

    /** The tutorial's resources, built once for both tests. */
    Tutorial.Ids tutorialIds() throws IOException {
        if (ids == null) {
            tutorial = new Tutorial(runtime.baseUrl(), KEY);
            ids = TutorialEndToEndTest.runTutorialAndCheck(tutorial).ids();
        }
        return ids;
    }

    Run script(String name, String... args) throws IOException {
        Path script = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "fdy", ".js");
        try (var in = FaradayClientTest.class.getResourceAsStream("/faraday-js/" + name)) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString(), CLIENT_DIR.toAbsolutePath().toString(),
                runtime.baseUrl(), KEY));
        command.addAll(List.of(args));
        return run(command, 180);
    }

    /** The methods that answer an error by design, and why. */
    static final Map<String, String> THROWS_BY_DESIGN = Map.of(
            "lookupOnTarget", "the tutorial's target is a hosted_csv one: a lookup on it is a 400, as the reference says");

    @Test
    void faradaysClientCallsEverySubsetMethodAndOnlyTheDesignedOnesThrow() throws Exception {
        Tutorial.Ids ids = tutorialIds();
        Run r = script("every-method.js", ids.dataset(), ids.cohort(), ids.personaSet(), ids.scope(), ids.target());
        assertEquals(0, r.exit(), "the script failed: " + r.err() + r.out());
        JsonNode out = Json.read(r.out().trim());
        List<String> failed = new ArrayList<>();
        int methods = 0;
        for (var e : out.properties()) {
            if (!e.getValue().isTextual()) continue;
            methods++;
            boolean ok = e.getValue().asText().equals("ok");
            if (THROWS_BY_DESIGN.containsKey(e.getKey())) {
                if (ok || !e.getValue().asText().startsWith("400 ")) failed.add(e.getKey() + " should answer a 400 ("
                        + THROWS_BY_DESIGN.get(e.getKey()) + "): " + e.getValue().asText());
                else assertTrue(e.getValue().asText().contains("\"error\""), "in the reference's error body: " + e);
            } else if (!ok) {
                failed.add(e.getKey() + ": " + e.getValue().asText());
            }
        }
        assertEquals(List.of(), failed, "every subset method of the client works against Personae");
        assertTrue(methods >= 52, "the script called the whole subset: 52 methods (" + methods + ")");
        assertTrue(out.path("upload_round_trip").asBoolean(), "getUpload gives back the uploaded bytes");
        assertTrue(out.path("download_rows").asInt() > 0, "downloadTarget reads the target's CSV: " + out);
        System.out.println("faraday-js every method: " + methods + " called; " + out);
    }

    @Test
    void faradaysClientCallsEveryAnalysisAndTraitsMethodWithoutThrowing() throws Exception {
        Tutorial.Ids ids = tutorialIds();
        Run r = script("analysis-and-traits.js", ids.personaSet(), ids.cohort());
        assertEquals(0, r.exit(), "the client threw: " + r.err() + r.out());
        JsonNode out = Json.read(r.out().trim());
        JsonNode set = tutorial.get("/persona_sets/" + ids.personaSet()).json();
        assertEquals(set.path("personas").size(), out.path("dimensions").size(), "the client read one entry per persona");
        for (JsonNode d : out.path("dimensions")) {
            assertTrue(d.path("traits").asInt() > 0 && d.path("bins").asInt() > 0, "the client read traits and bins: " + d);
        }
        long total = 0;
        for (JsonNode f : out.path("flow")) {
            assertTrue(f.path("days").asInt() > 0, "the client read days: " + f);
            total += f.path("last").asLong();
        }
        long population = tutorial.get("/cohorts/" + ids.cohort()).json().path("population_count").asLong();
        assertEquals(population, total, "the flow's last day holds the whole cohort, as the client reads it");
        assertEquals(population, out.path("membership").path("last").asLong(), "membership, as the client reads it");
        assertTrue(out.path("membership").path("weeks").asInt() > 0 && out.path("membership").path("months").asInt() > 0);
        JsonNode trait = out.path("trait");
        assertEquals("client_score", trait.path("got").asText());
        assertTrue(trait.path("created_at_valid").asBoolean(), "created_at reads as a date");
        assertEquals("set by the client", trait.path("description").asText());
        assertTrue(trait.path("emitted_count").asLong() > 0, "an emitted trait's dimensions count people: " + trait);
        assertEquals(0, trait.path("created_bins").asInt(), "a trait without data has no bins (but the array)");
        assertEquals(0, trait.path("orphans_left").asInt(), "deleted and orphaned traits are gone");
        assertTrue(out.path("traits").toString().contains("orders_recency_days"), "behavioural traits are listed");
        System.out.println("faraday-js: " + new String(r.out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).trim());
    }
}
