package personae.core.api;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Limits;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Reads a request's JSON body within {@link Limits}: at most {@link Limits#MAX_JSON_BODY_BYTES}, one JSON object and
 * nothing after it, nested at most {@link Limits#MAX_JSON_DEPTH} levels, every string, field name and array bounded
 * ({@link Validation#bounds}). Problems are a 400 (413 for the size) whose note gives line and column in plain words:
 * never the parser's class names or a long quote of the input.
 */
final class JsonBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Limits.MAX_JSON_DEPTH + 1)
                    .maxNumberLength(100)
                    .maxStringLength(Limits.MAX_JSON_BODY_BYTES)
                    .maxNameLength(Limits.MAX_JSON_BODY_BYTES)
                    .build())
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(Limits.MAX_ECHO_CHARS / 2)
                    .maxRawContentLength(Limits.MAX_ECHO_CHARS / 2)
                    .build())
            .build());

    /** Words that must never reach a client: the parser's own vocabulary. */
    private static final Pattern INTERNAL = Pattern.compile(
            "java\\.|jackson|Exception|Feature|`|\\[Source|com\\.|REDACTED|JsonNode|token \\(of type", Pattern.CASE_INSENSITIVE);

    private JsonBodies() {}

    static ObjectNode readObject(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(Limits.MAX_JSON_BODY_BYTES + 1);
        if (bytes.length > Limits.MAX_JSON_BODY_BYTES) {
            throw new ApiError(413, "BAD_REQUEST", "The JSON body is larger than " + Limits.MAX_JSON_BODY_BYTES
                    + " bytes, the limit for a request body (uploads excepted)");
        }
        if (bytes.length == 0) throw ApiError.badRequest("The request needs a JSON object body");
        JsonNode node;
        try (JsonParser p = MAPPER.createParser(bytes)) {
            node = MAPPER.readTree(p);
            if (node != null) {
                JsonLocation end = p.currentLocation();
                boolean more;
                try {
                    more = p.nextToken() != null;
                } catch (JsonProcessingException garbage) {
                    more = true;
                }
                if (more) {
                    throw ApiError.badRequest("The body is not valid JSON" + where(end)
                            + ": there is more content after the JSON value; send exactly one JSON object");
                }
            }
        } catch (StreamConstraintsException e) {
            throw ApiError.badRequest("The body is not valid JSON" + where(e.getLocation())
                    + ": it is nested more than " + Limits.MAX_JSON_DEPTH + " levels deep or has a number longer"
                    + " than 100 digits");
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
        if (node == null || node.isMissingNode()) throw ApiError.badRequest("The request needs a JSON object body");
        if (!node.isObject()) throw ApiError.badRequest("The body must be a JSON object");
        Validation v = new Validation();
        v.bounds(node);
        v.throwIfFailed();
        return (ObjectNode) node;
    }

    /** A parser error in plain words: its position and, when it has no internal vocabulary, its short message. */
    static ApiError invalid(JsonProcessingException e) {
        String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        int cut = what.indexOf(" at [Source");
        if (cut >= 0) what = what.substring(0, cut);
        cut = what.indexOf("\n");
        if (cut >= 0) what = what.substring(0, cut);
        if (what.startsWith("Unexpected end-of-input")) {
            what = "the body ends before the JSON value is complete";
        } else if (what.isBlank() || INTERNAL.matcher(what).find()) {
            what = "it is not well-formed JSON";
        }
        if (what.length() > 2 * Limits.MAX_ECHO_CHARS) what = what.substring(0, 2 * Limits.MAX_ECHO_CHARS) + "...";
        return ApiError.badRequest("The body is not valid JSON" + where(e.getLocation()) + ": " + what);
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}
