package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium}, driven by npm's {@code playwright-core}),
 * against the local runtime: {@code src/test/browser/console.test.mjs} signs in, creates a persona set with chosen
 * traits, follows its progress to ready, reads the Definition, Analysis and Flow tabs against the API, renames a
 * persona, hits the blocked delete, reads the lists, downloads a target's CSV and sees an API error, saving a
 * screenshot of each screen in {@code target/screenshots/}. Each of its checks is one test here. Skipped, with the
 * reason, without chromium, node or npm; the Analysis and Flow checks are skipped while their endpoints answer 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class ConsoleBrowserTest {

    static final String KEY = "console-test-key-0123456789";
    static final Path SCRIPT_DIR = Path.of("infra/local/src/test/browser");
    static final Path WORK = Path.of("infra/local/target/browser");
    static final Path SHOTS = Path.of("infra/local/target/screenshots");

    LocalRuntime runtime;
    JsonNode results;
    String output = "";

    @BeforeAll
    void runTheBrowserScript() throws Exception {
        String chromium = executable("chromium", "/usr/bin/chromium");
        Assumptions.assumeTrue(chromium != null, "no chromium on this machine (apt-get install -y chromium; .ci/run does)");
        String node = executable("node", null);
        String npm = executable("npm", null);
        Assumptions.assumeTrue(node != null && npm != null, "no node/npm on this machine");
        Files.createDirectories(WORK);
        Files.copy(SCRIPT_DIR.resolve("package.json"), WORK.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(SCRIPT_DIR.resolve("console.test.mjs"), WORK.resolve("console.test.mjs"), StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(WORK.resolve("node_modules/playwright-core"))) {
            Run install = run(List.of(npm, "install", "--no-audit", "--no-fund", "--loglevel=error"), 180);
            Assumptions.assumeTrue(install.code == 0, "npm install playwright-core failed: " + install.out);
        }

        Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-console-");
        runtime = LocalRuntime.start(LocalRuntime.Config.forTests(dataDir, KEY));
        Tutorial api = new Tutorial(runtime.baseUrl(), KEY);
        assertEquals(200, api.upload("orders", "orders.csv", TutorialEndToEndTest.SAMPLE).status());
        assertEquals(201, api.postJson("/datasets", Tutorial.DATASET_BODY).status());
        Tutorial.Answer cohort = api.postJson("/cohorts", "{\"name\": \"Customers\", \"stream_name\": \"orders\"}");
        assertEquals(201, cohort.status(), cohort.body());

        Path resultsFile = WORK.resolve("results.json");
        Files.deleteIfExists(resultsFile);
        ProcessBuilder pb = new ProcessBuilder(node, "console.test.mjs").directory(WORK.toFile());
        pb.environment().put("BASE", "http://127.0.0.1:" + runtime.port());
        pb.environment().put("KEY", KEY);
        pb.environment().put("COHORT_ID", cohort.json().get("id").asText());
        pb.environment().put("CHROMIUM", chromium);
        pb.environment().put("SHOTS", SHOTS.toAbsolutePath().toString());
        pb.environment().put("RESULTS", resultsFile.toAbsolutePath().toString());
        Run script = run(pb, 240);
        output = script.out;
        System.out.println(output);
        assertEquals(0, script.code, "the browser script runs to its end:\n" + output);
        results = new ObjectMapper().readTree(resultsFile.toFile());
    }

    @AfterAll
    void stop() {
        if (runtime != null) runtime.close();
    }

    /** Passes, fails or is skipped as the script's check of that name did. */
    private void check(String name) {
        JsonNode r = results.get(name);
        assertNotNull(r, "the browser script ran the check " + name + " (an earlier one it depends on may have failed):\n" + output);
        Assumptions.assumeFalse(r.get("status").asText().equals("skip"), r.get("detail").asText());
        assertEquals("pass", r.get("status").asText(), name + ": " + r.get("detail").asText());
    }

    @Test
    void anApiErrorIsShownWithTheApisStatusAndNote() {
        check("anApiErrorIsShown");
    }

    @Test
    void signInTakesTheApiKeyInAPasswordFieldForTheSessionOnly() {
        check("signInWithTheApiKey");
    }

    @Test
    void aPersonaSetIsCreatedFromACohortWithTheChosenTraits() {
        check("createAPersonaSetWithChosenTraits");
    }

    @Test
    void theProgressBarFollowsTheBuildAndANoticeSaysWhenItIsReady() {
        check("progressFollowsTheBuildToReady");
    }

    @Test
    void theDefinitionTabShowsEachPersonaAsTheApiHasIt() {
        check("definitionShowsTheApisPersonas");
    }

    @Test
    void aPersonaIsRenamedInPlace() {
        check("renameAPersonaInPlace");
    }

    @Test
    void theAnalysisTabShowsTheApisBinsOfThePersonaAndTheCohort() {
        check("analysisMatchesTheApi");
    }

    @Test
    void theFlowTabShowsEachPersonasCountAtTheDateUnderTheMouse() {
        check("flowMatchesTheApi");
    }

    @Test
    void aDeleteBlockedByAScopeNamesAndLinksTheScope() {
        check("blockedDeleteNamesTheDependents");
    }

    @Test
    void theListsShowWhatUsesEachResourceAndATargetsCsvDownloads() {
        check("listsShowStatusUsesAndTheTargetCsv");
    }

    @Test
    void thePageLogsNoScriptErrors() {
        check("noScriptErrors");
    }

    // ------------------------------------------------------------------ processes

    record Run(int code, String out) {}

    private static Run run(List<String> command, int seconds) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command).directory(WORK.toFile()), seconds);
    }

    private static Run run(ProcessBuilder pb, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "console-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Run(-1, "timed out after " + seconds + " s:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    /** The command on the PATH, else {@code fallback} when it exists, else null. */
    static String executable(String name, String fallback) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return fallback != null && Files.isExecutable(Path.of(fallback)) ? fallback : null;
    }
}
