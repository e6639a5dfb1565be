package personae.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.port.Notifier;
import personae.core.resource.Json;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Notifier} on EventBridge: one {@code PutEvents} entry per status change, source {@value #SOURCE}, detail type
 * {@value #DETAIL_TYPE}, detail {@code {account, kind, id, name, status, status_error, at}}. A rule in
 * {@code template.yaml} sends the {@code ready} and {@code error} ones to an optional SNS topic (email). A failed put is
 * logged and dropped: a Lambda cannot retry in the background, and the build must not fail for it (the SDK retries
 * within its 5 s call timeout).
 */
public final class EventBridgeNotifier implements Notifier {

    public static final String SOURCE = "personae";
    public static final String DETAIL_TYPE = "Personae resource status";

    private static final Logger LOG = Logger.getLogger(EventBridgeNotifier.class.getName());

    private final EventBridgeClient events;
    private final String bus;

    public EventBridgeNotifier(EventBridgeClient events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    /** The event's detail: the same fields as the local webhook's body. */
    public static String detail(StatusChange c) {
        ObjectNode d = Json.object();
        d.put("account", c.account());
        d.put("kind", c.kind());
        d.put("id", c.id());
        d.put("name", c.name());
        d.put("status", c.status());
        if (c.statusError() != null) d.put("status_error", c.statusError());
        d.put("at", c.at());
        return Json.write(d);
    }

    @Override
    public void statusChanged(StatusChange c) {
        Notifier.LOG_ONLY.statusChanged(c);
        try {
            PutEventsResponse r = events.putEvents(p -> p.entries(e -> e.eventBusName(bus).source(SOURCE)
                    .detailType(DETAIL_TYPE).detail(detail(c))));
            if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
                LOG.warning("EventBridge refused the status event of " + c.kind() + " " + c.id() + ": "
                        + r.entries().get(0).errorCode() + " " + r.entries().get(0).errorMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish the status event of " + c.kind() + " " + c.id(), e);
        }
    }
}
