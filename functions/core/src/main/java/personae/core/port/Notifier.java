package personae.core.port;

import java.util.logging.Logger;

/**
 * Tells the outside world that a resource's build ended: every change of a resource's status to {@code ready} or
 * {@code error} is handed here once, after it is stored. On AWS it becomes an EventBridge event (a rule can mail it);
 * locally a webhook call and a log line.
 *
 * <p>Contract: a build's outcome never depends on its notification. {@link #statusChanged} returns quickly and never
 * throws: an adapter that talks to a slow or dead endpoint delivers in the background (retrying as it sees fit) or
 * drops the message with a log line.
 */
public interface Notifier {

    /**
     * One status change, as published: the account, the resource's kind ({@code datasets}, {@code persona_sets}...),
     * id and name, its new status and, for {@code error}, why; {@code at} is when the status changed (ISO-8601).
     */
    record StatusChange(String account, String kind, String id, String name, String status, String statusError,
                        String at) {}

    void statusChanged(StatusChange change);

    /** Only logs each change (at INFO): the default where nothing else is configured. */
    Notifier LOG_ONLY = new Notifier() {
        private final Logger log = Logger.getLogger(Notifier.class.getName());

        @Override
        public void statusChanged(StatusChange c) {
            log.info(() -> c.kind() + " " + c.id() + " '" + c.name() + "' of account " + c.account() + " is " + c.status()
                    + (c.statusError() == null ? "" : ": " + c.statusError()));
        }
    };
}
