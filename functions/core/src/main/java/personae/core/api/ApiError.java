package personae.core.api;

import java.util.List;

/**
 * A failed request, answered with the v1 error body {@code {"error", "id", "note", "validationErrors"?}}.
 * Throw it from anywhere below the router; the router turns it into the response.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final List<ValidationError> validationErrors;

    public ApiError(int status, String code, String note, List<ValidationError> validationErrors) {
        super(note);
        this.status = status;
        this.code = code;
        this.validationErrors = List.copyOf(validationErrors);
    }

    public ApiError(int status, String code, String note) {
        this(status, code, note, List.of());
    }

    public int status() { return status; }

    public String code() { return code; }

    public String note() { return getMessage(); }

    public List<ValidationError> validationErrors() { return validationErrors; }

    /** A domain problem as the API answers it: one status per kind. */
    public static ApiError of(personae.core.Problem p) {
        return switch (p.kind()) {
            case INVALID -> badRequest(p.getMessage());
            case NOT_FOUND -> notFound(p.getMessage());
            case CONFLICT -> conflict(p.getMessage());
            case TOO_LARGE -> new ApiError(413, "BAD_REQUEST", p.getMessage());
        };
    }

    public static ApiError badRequest(String note) { return new ApiError(400, "BAD_REQUEST", note); }

    public static ApiError notFound(String note) { return new ApiError(404, "NOT_FOUND", note); }

    public static ApiError conflict(String note) { return new ApiError(409, "CONFLICT", note); }

    /** 400 VALIDATION_FAILED with one entry per problem; the note lists them all so a plain client sees them too. */
    public static ApiError validation(List<ValidationError> errors) {
        StringBuilder note = new StringBuilder("The request is not valid: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) note.append("; ");
            note.append(errors.get(i).path()).append(": ").append(errors.get(i).message());
        }
        return new ApiError(400, "VALIDATION_FAILED", note.toString(), errors);
    }

    /** One JSON-schema-like failure; {@code path} is a JSON pointer into the request body. */
    public record ValidationError(String path, String message, String errorType) {}
}
