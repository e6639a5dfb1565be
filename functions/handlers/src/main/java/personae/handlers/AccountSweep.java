package personae.handlers;

import personae.core.Services;
import personae.core.account.Accounts;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes the accounts whose deletion was requested more than the grace period ago ({@link Accounts#sweep}). On AWS an
 * EventBridge schedule invokes the Api function with {@link #EVENT} (template.yaml, {@code AccountSweep}); locally the
 * runtime's scheduler calls {@link #runLogged}.
 */
public final class AccountSweep {

    private static final Logger LOG = Logger.getLogger(AccountSweep.class.getName());

    /** The reference's waiting period. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    /** The environment variable that sets the grace period (an ISO-8601 duration such as {@code PT24H}). */
    public static final String GRACE_VARIABLE = "PERSONAE_ACCOUNT_DELETION_GRACE";

    /**
     * The {@code routeKey} of the scheduled event's constant input. API Gateway sets every HTTP event's routeKey to one
     * of the API's routes ({@code ANY /v1/{proxy+}}, ...) and always sends a requestContext, so no HTTP request can
     * look like it: only the schedule (or someone allowed to invoke the function directly) starts a sweep.
     */
    public static final String EVENT = "personae:sweep-deleted-accounts";

    private final Accounts accounts;
    private final Duration grace;

    public AccountSweep(Services services, Duration grace) {
        this.accounts = new Accounts(services);
        this.grace = grace;
    }

    /** The grace period from the environment, or 24 hours. */
    public static Duration grace(Map<String, String> env) {
        String v = env.get(GRACE_VARIABLE);
        if (v == null || v.isBlank()) return DEFAULT_GRACE;
        try {
            Duration d = Duration.parse(v.trim());
            if (d.isNegative()) throw new IllegalArgumentException(GRACE_VARIABLE + " must not be negative: " + v);
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(GRACE_VARIABLE + " must be an ISO-8601 duration such as PT24H, not '" + v + "'");
        }
    }

    /** One sweep; the accounts it removed. */
    public List<String> run() {
        List<String> removed = accounts.sweep(grace);
        if (!removed.isEmpty()) LOG.info(() -> "removed " + removed.size() + " deleted account(s): " + removed);
        return removed;
    }

    /** One sweep that logs instead of throwing (a scheduler's task must not die; the next run finishes the work). */
    public void runLogged() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the sweep of deleted accounts failed; the next one retries", e);
        }
    }
}
