package personae.local.statemachine;

import static personae.local.statemachine.Checks.checkFields;
import static personae.local.statemachine.Checks.requireArray;
import static personae.local.statemachine.Checks.requireNonNegativeNumber;
import static personae.local.statemachine.Checks.requirePositiveNumber;
import static personae.local.statemachine.Checks.requireText;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A Task's Retry and Catch, with Step Functions' matching: the first retrier (or catcher) whose ErrorEquals names the
 * error, {@code States.ALL} or (for anything but {@code States.Timeout}) {@code States.TaskFailed} handles it; a
 * retrier with no attempts left does not hand the error on to a later retrier.
 */
record RetryCatch(List<Retrier> retriers, List<Catcher> catchers) {

    record Retrier(List<String> errors, int maxAttempts, double intervalSeconds, double backoffRate) { }

    record Catcher(List<String> errors, ResultPath resultPath, String next) { }

    /** Reads the state's Retry and Catch arrays (both optional). */
    static RetryCatch of(JsonNode node, String where) {
        List<Retrier> retriers = new ArrayList<>();
        JsonNode retry = node.get("Retry");
        if (retry != null) {
            requireArray(retry, where + " Retry");
            for (int i = 0; i < retry.size(); i++) {
                JsonNode r = retry.get(i);
                String w = where + " Retry[" + i + "]";
                checkFields(r, Set.of("ErrorEquals", "MaxAttempts", "IntervalSeconds", "BackoffRate", "Comment"), w);
                List<String> errors = errorEquals(r, w, i == retry.size() - 1);
                int max = r.has("MaxAttempts") ? (int) requireNonNegativeNumber(r, "MaxAttempts", w) : 3;
                double interval = r.has("IntervalSeconds") ? requirePositiveNumber(r, "IntervalSeconds", w) : 1;
                double backoff = r.has("BackoffRate") ? requireNonNegativeNumber(r, "BackoffRate", w) : 2.0;
                if (backoff < 1) {
                    throw new DefinitionException(w + ": BackoffRate must be >= 1");
                }
                retriers.add(new Retrier(errors, max, interval, backoff));
            }
        }
        List<Catcher> catchers = new ArrayList<>();
        JsonNode catchNode = node.get("Catch");
        if (catchNode != null) {
            requireArray(catchNode, where + " Catch");
            for (int i = 0; i < catchNode.size(); i++) {
                JsonNode c = catchNode.get(i);
                String w = where + " Catch[" + i + "]";
                checkFields(c, Set.of("ErrorEquals", "ResultPath", "Next", "Comment"), w);
                catchers.add(new Catcher(errorEquals(c, w, i == catchNode.size() - 1),
                        ResultPath.of(c.get("ResultPath"), w), requireText(c, "Next", w)));
            }
        }
        return new RetryCatch(List.copyOf(retriers), List.copyOf(catchers));
    }

    /** The states the catchers go to. */
    List<String> targets() {
        return catchers.stream().map(Catcher::next).toList();
    }

    /** Fresh attempt counters, one per retrier, for one execution of the state. */
    int[] newAttempts() {
        return new int[retriers.size()];
    }

    /**
     * The seconds to wait before the next attempt (counting it in {@code attempts}), or empty when the error is not
     * to be retried: no retrier matches it, or the one that does has no attempts left.
     */
    OptionalDouble retryDelay(String error, int[] attempts) {
        int retrier = match(retriers.stream().map(Retrier::errors).toList(), error);
        if (retrier >= 0 && attempts[retrier] < retriers.get(retrier).maxAttempts()) {
            Retrier r = retriers.get(retrier);
            double seconds = r.intervalSeconds() * Math.pow(r.backoffRate(), attempts[retrier]);
            attempts[retrier]++;
            return OptionalDouble.of(seconds);
        }
        return OptionalDouble.empty();
    }

    /** The matching catcher's Next with {@code {"Error", "Cause"}} at its ResultPath, else the execution fails. */
    Step caught(String error, String cause, Object input) {
        int catcher = match(catchers.stream().map(Catcher::errors).toList(), error);
        if (catcher >= 0) {
            Catcher c = catchers.get(catcher);
            Map<String, Object> errorOutput = new LinkedHashMap<>();
            errorOutput.put("Error", error);
            errorOutput.put("Cause", cause);
            return new Step.Next(c.next(), c.resultPath().apply(input, errorOutput));
        }
        return new Step.Fail(error, cause);
    }

    /** What a Java Lambda reports for an unhandled exception (Step Functions passes it on as the Cause). */
    static String lambdaCause(Throwable e) {
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("errorMessage", e.getMessage());
        cause.put("errorType", e.getClass().getName());
        cause.put("stackTrace", List.of());
        return Json.write(cause);
    }

    /** Index of the first list matching the error, -1 if none. */
    private static int match(List<List<String>> lists, String error) {
        for (int i = 0; i < lists.size(); i++) {
            for (String e : lists.get(i)) {
                if (e.equals(error) || e.equals("States.ALL")
                        || (e.equals("States.TaskFailed") && !error.equals("States.Timeout"))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<String> errorEquals(JsonNode node, String where, boolean last) {
        JsonNode list = node.get("ErrorEquals");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty ErrorEquals array");
        }
        List<String> errors = new ArrayList<>();
        list.forEach(n -> {
            if (!n.isTextual()) {
                throw new DefinitionException(where + ": ErrorEquals entries must be strings");
            }
            errors.add(n.asText());
        });
        if (errors.contains("States.ALL") && (errors.size() != 1 || !last)) {
            throw new DefinitionException(where + ": States.ALL must appear alone, in the last retrier or catcher");
        }
        return List.copyOf(errors);
    }
}
