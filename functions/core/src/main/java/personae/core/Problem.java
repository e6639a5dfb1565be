package personae.core;

/**
 * A domain rule a request or a build ran into, in words a user can act on: what, where and what to do. The domain
 * throws only this (and {@link personae.core.ingest.CsvProblem} for file contents); the API layer alone turns it into
 * an HTTP status and the v1 error body, and a build step's failure becomes the resource's {@code status_error}.
 */
public class Problem extends RuntimeException {

    /** What kind of rule was broken; the API maps each to one status code. */
    public enum Kind {
        /** The request or the configuration is not acceptable as it is (400). */
        INVALID,
        /** A resource or file the request names does not exist (404). */
        NOT_FOUND,
        /** The resource's state forbids it now: in use, already exists, changed concurrently, not built (409). */
        CONFLICT,
        /** Larger than a limit of the deployment (413). */
        TOO_LARGE
    }

    private final Kind kind;

    public Problem(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static Problem invalid(String message) { return new Problem(Kind.INVALID, message); }

    public static Problem notFound(String message) { return new Problem(Kind.NOT_FOUND, message); }

    public static Problem conflict(String message) { return new Problem(Kind.CONFLICT, message); }

    public static Problem tooLarge(String message) { return new Problem(Kind.TOO_LARGE, message); }
}
