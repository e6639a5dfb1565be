package personae.local;

import personae.aws.EventBridgeNotifier;
import personae.core.port.Notifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Notifier} for the local runtime: logs every status change and POSTs it as JSON (the EventBridge event's
 * detail, {@link EventBridgeNotifier#detail}) to {@code PERSONAE_WEBHOOK_URL}. Delivery runs on its own daemon thread:
 * {@link #statusChanged} only queues, so a slow or dead webhook never holds a build up. A failed call (no answer, or
 * a 5xx or 429) is retried after {@link #BACKOFF} (0.5 s, 1 s, 2 s, 4 s, 8 s), then dropped with a log line; a 4xx
 * other than 429 is not retried (the hook refuses the message). At most {@value #QUEUE_LIMIT} messages wait.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookNotifier.class.getName());

    /** Waits before each retry. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8));
    static final int QUEUE_LIMIT = 10_000;

    private final URI url;
    private final List<Duration> backoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledThreadPoolExecutor sender;
    private final AtomicInteger waiting = new AtomicInteger();

    public WebhookNotifier(URI url) {
        this(url, BACKOFF);
    }

    WebhookNotifier(URI url, List<Duration> backoff) {
        this.url = url;
        this.backoff = backoff;
        this.sender = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "personae-webhook");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void statusChanged(StatusChange change) {
        Notifier.LOG_ONLY.statusChanged(change);
        if (waiting.incrementAndGet() > QUEUE_LIMIT) {
            waiting.decrementAndGet();
            LOG.warning("webhook queue full (" + QUEUE_LIMIT + "): the event of " + change.kind() + " " + change.id()
                    + " is dropped");
            return;
        }
        String body = EventBridgeNotifier.detail(change);
        try {
            sender.execute(() -> attempt(change, body, 0));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            waiting.decrementAndGet();
        }
    }

    private void attempt(StatusChange change, String body, int tried) {
        String why;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").header("User-Agent", "personae-webhook")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            int s = r.statusCode();
            if (s / 100 == 2) {
                waiting.decrementAndGet();
                return;
            }
            if (s / 100 == 4 && s != 429) {
                waiting.decrementAndGet();
                LOG.warning("the webhook refused the event of " + change.kind() + " " + change.id() + " (HTTP " + s
                        + "); not retried");
                return;
            }
            why = "HTTP " + s;
        } catch (java.io.IOException e) {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiting.decrementAndGet();
            return;
        }
        if (tried >= backoff.size()) {
            waiting.decrementAndGet();
            LOG.warning("the webhook " + url + " did not take the event of " + change.kind() + " " + change.id()
                    + " after " + (tried + 1) + " tries (" + why + "); dropped");
            return;
        }
        String last = why;
        LOG.log(Level.FINE, () -> "webhook call failed (" + last + "), retrying in " + backoff.get(tried));
        try {
            sender.schedule(() -> attempt(change, body, tried + 1), backoff.get(tried).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            waiting.decrementAndGet();
        }
    }

    /** Messages still queued or waiting for a retry. */
    int waiting() {
        return waiting.get();
    }

    /** Stops: what is queued now gets up to 2 s to go out, retries still waiting are dropped. */
    @Override
    public void close() {
        sender.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
    }
}
