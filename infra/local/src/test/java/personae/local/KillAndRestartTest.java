package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import personae.core.pipeline.Builds;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.core.resource.Status;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing stuck after a {@code kill -9}: the local runtime runs in a child JVM with two accounts, both start the
 * tutorial's builds, the child is killed with SIGKILL while they run, and a runtime started again on the same data
 * directory finishes every interrupted build of both accounts (DynamoDB Local's file and S3Mock's objects survive the
 * kill). Then a build whose execution died without reaching MarkReady or MarkError is replaced at the next upload.
 */
class KillAndRestartTest {

    static final String KEY = "kill-test-key-0123456789";
    static final String SECOND = "second-account";
    static final String SECOND_KEY = "kill-test-second-key-0123456789";
    static final Duration BUILD = Duration.ofMinutes(4);

    @Test
    void everyAccountsInterruptedBuildsFinishAfterAKillAndARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "personae-kill-");
        int port = freePort();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-child.log");
        Process child = startChild(port, dataDir, log);
        Map<String, Tutorial.Ids> ids = new LinkedHashMap<>();
        try {
            awaitReady(child, log);
            String base = "http://127.0.0.1:" + port + "/v1";
            for (Map.Entry<String, String> account : Map.of("local", KEY, SECOND, SECOND_KEY).entrySet()) {
                Tutorial t = new Tutorial(base, account.getValue());
                assertEquals(200, t.upload("orders", "orders.csv", TutorialEndToEndTest.SAMPLE).status());
                ids.put(account.getKey(), t.createAll(true));
            }
            // both accounts' builds are under way: the targets wait for their scopes, which wait for the rest
            for (Map.Entry<String, Tutorial.Ids> e : ids.entrySet()) {
                Tutorial t = new Tutorial(base, e.getKey().equals("local") ? KEY : SECOND_KEY);
                String st = t.get("/targets/" + e.getValue().target()).json().path("status").asText();
                assertNotEquals("ready", st, "the kill must come while " + e.getKey() + "'s builds run");
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no emulator close
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child is gone");
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");

        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Config(port, dataDir, KEY, true, 0.05, null))) {
            Set<String> resumedAccounts = runtime.resumedBuilds().stream().map(BuildRequest::account)
                    .collect(Collectors.toSet());
            assertEquals(Set.of(runtime.accountId(), SECOND), resumedAccounts,
                    "interrupted builds of every account restart, not only the local one's: " + runtime.resumedBuilds());

            for (Map.Entry<String, Tutorial.Ids> e : ids.entrySet()) {
                Tutorial t = new Tutorial(runtime.baseUrl(), e.getKey().equals("local") ? KEY : SECOND_KEY);
                Tutorial.Ids i = e.getValue();
                for (String path : List.of("/datasets/" + i.dataset(), "/cohorts/" + i.cohort(),
                        "/persona_sets/" + i.personaSet(), "/scopes/" + i.scope(), "/targets/" + i.target())) {
                    List<String> seen = new ArrayList<>();
                    JsonNode doc = t.awaitBuilt(path, BUILD, seen); // throws if still new/starting/running
                    assertEquals("ready", doc.path("status").asText(),
                            e.getKey() + path + " ends ready after the restart (went " + seen + "): " + doc);
                }
                assertEquals(200, t.get("/targets/" + i.target() + "/download.csv").status(),
                        e.getKey() + "'s CSV is there");
            }

            // a build whose execution died without MarkReady or MarkError: status running, execution gone
            Tutorial second = new Tutorial(runtime.baseUrl(), SECOND_KEY);
            String dataset = ids.get(SECOND).dataset();
            var resources = runtime.services().resources();
            String deadExecution = resources.require(SECOND, ResourceType.DATASETS, dataset).internal()
                    .path(Builds.EXECUTION).asText(null);
            assertTrue(deadExecution != null, "the finished build recorded its execution");
            assertFalse(runtime.services().workflows().isRunning(deadExecution), "and it is over");
            resources.setStatus(SECOND, ResourceType.DATASETS, dataset, Status.RUNNING, null);
            assertEquals(200, second.upload("orders", "more.csv", TutorialEndToEndTest.SAMPLE).status());
            JsonNode rebuilt = second.awaitBuilt("/datasets/" + dataset, BUILD, new ArrayList<>());
            assertEquals("ready", rebuilt.path("status").asText(),
                    "a new upload restarts a dataset whose build is dead, instead of queueing behind it for 25 h");
            assertNotEquals(deadExecution, resources.require(SECOND, ResourceType.DATASETS, dataset).internal()
                    .path(Builds.EXECUTION).asText(null), "by a new execution");
        }
    }

    static Process startChild(int port, Path dataDir, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), TwoAccountRuntime.class.getName(),
                Integer.toString(port), dataDir.toString(), KEY, SECOND, SECOND_KEY);
        pb.environment().put("DDB_LOCAL_TELEMETRY", "0");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    static void awaitReady(Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("READY ")) return;
            if (!child.isAlive()) throw new IllegalStateException("the child died: " + Files.readString(log));
            Thread.sleep(100);
        }
        throw new IllegalStateException("the child did not start: " + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
