package personae.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import personae.core.port.Notifier.StatusChange;
import personae.core.resource.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local webhook: each status change is delivered once, a failing hook is retried, a dead one never blocks. */
class WebhookNotifierTest {

    static final StatusChange READY = new StatusChange("acc", "datasets", "d1", "orders", "ready", null,
            "2026-12-02T00:00:00Z");
    static final StatusChange ERROR = new StatusChange("acc", "persona_sets", "p1", "Personas", "error",
            "the cohort has no people", "2026-12-02T00:00:01Z");
    static final List<Duration> FAST = List.of(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80));

    /** A hook that answers {@code failFirst} calls with 503, then 200, recording every body it took. */
    record Hook(HttpServer server, List<JsonNode> received, AtomicInteger calls) implements AutoCloseable {
        static Hook start(int failFirst) throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            List<JsonNode> got = new CopyOnWriteArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            s.createContext("/hook", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int n = calls.incrementAndGet();
                int status = n <= failFirst ? 503 : 200;
                if (status == 200) got.add(Json.read(body));
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            s.start();
            return new Hook(s, got, calls);
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(10);
    }

    @Test
    void eachStatusChangeReachesTheWebhookOnceWithTheEventDetail() throws Exception {
        try (Hook hook = Hook.start(0); WebhookNotifier n = new WebhookNotifier(hook.url(), FAST)) {
            n.statusChanged(READY);
            n.statusChanged(ERROR);
            waitFor(() -> n.waiting() == 0, Duration.ofSeconds(10));
            assertEquals(2, hook.received().size(), "two changes, two deliveries: " + hook.received());
            JsonNode ready = hook.received().get(0), error = hook.received().get(1);
            assertEquals("ready", ready.path("status").asText());
            assertEquals("d1", ready.path("id").asText());
            assertEquals("datasets", ready.path("kind").asText());
            assertEquals("orders", ready.path("name").asText());
            assertEquals("acc", ready.path("account").asText());
            assertTrue(ready.path("status_error").isMissingNode(), "no status_error on ready: " + ready);
            assertEquals("the cohort has no people", error.path("status_error").asText(), error.toString());
        }
    }

    @Test
    void aFailingWebhookIsRetriedUntilItTakesTheEventAndGetsItOnce() throws Exception {
        try (Hook hook = Hook.start(2); WebhookNotifier n = new WebhookNotifier(hook.url(), FAST)) {
            n.statusChanged(READY);
            waitFor(() -> n.waiting() == 0, Duration.ofSeconds(10));
            assertEquals(3, hook.calls().get(), "two 503s, then the call that succeeds");
            assertEquals(1, hook.received().size(), "delivered once: " + hook.received());
        }
    }

    @Test
    void aDeadWebhookNeverHoldsTheCallerUp() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (WebhookNotifier n = new WebhookNotifier(URI.create("http://127.0.0.1:" + closedPort + "/hook"), FAST)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) n.statusChanged(READY);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, "100 notifications to a dead hook return at once (took " + ms + " ms)");
            waitFor(() -> n.waiting() == 0, Duration.ofSeconds(20));
            assertEquals(0, n.waiting(), "after its retries each message is dropped, not kept forever");
        }
    }
}
