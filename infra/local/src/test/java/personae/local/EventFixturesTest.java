package personae.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fixtures in events/ (used by `sam local invoke -e` and by handler tests): valid JSON, loadable with
 * aws-lambda-java-tests' EventLoader, and one step-*.json per state machine Task. Runs from the repository root.
 */
class EventFixturesTest {

    private static final Path EVENTS = Path.of("events");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Path> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(EVENTS)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyFileIsValidJsonAndNamedByKind() throws Exception {
        List<Path> all = files("");
        assertTrue(all.size() >= 20, "events: " + all);
        for (Path p : all) {
            JsonNode node = JSON.readTree(p.toFile());
            assertTrue(node.isObject(), p + " should be a JSON object");
            String name = p.getFileName().toString();
            assertTrue(name.startsWith("api-") || name.startsWith("s3-") || name.startsWith("step-"),
                    p + ": name fixtures api-*, s3-* or step-* (the tests and README group them so)");
        }
    }

    @Test
    void apiEventsAreHttpApiV2Requests() throws Exception {
        List<Path> api = files("api-");
        assertEquals(11, api.size(), "api events: " + api);
        for (Path p : api) {
            String where = p.toString();
            APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(where);
            assertEquals("2.0", e.getVersion(), where);
            assertEquals("ANY /v1/{proxy+}", e.getRouteKey(), where);
            assertEquals("$default", e.getRequestContext().getStage(), where);
            String method = e.getRequestContext().getHttp().getMethod();
            assertTrue(List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method), where);
            assertEquals(e.getRawPath(), e.getRequestContext().getHttp().getPath(), where);
            assertEquals("/v1/" + e.getPathParameters().get("proxy"), e.getRawPath(), where);
            Map<String, String> headers = e.getHeaders();
            headers.keySet().forEach(h -> assertEquals(h.toLowerCase(), h, where + ": HTTP API lower-cases header names"));
            if (p.getFileName().toString().equals("api-unauthorized.json")) {
                assertNull(headers.get("authorization"), where);
            } else {
                assertEquals("Bearer personae-test-key", headers.get("authorization"), where);
            }
            if (e.getBody() != null) {
                assertNotNull(headers.get("content-type"), where);
                byte[] body = e.getIsBase64Encoded() ? Base64.getDecoder().decode(e.getBody()) : e.getBody().getBytes(StandardCharsets.UTF_8);
                assertEquals(String.valueOf(body.length), headers.get("content-length"), where);
                if (headers.get("content-type").equals("application/json")) {
                    assertTrue(JSON.readTree(body).isObject(), where);
                }
            }
        }
    }

    @Test
    void uploadEventCarriesTheOrdersCsv() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent("events/api-upload-post.json");
        assertEquals("POST", e.getRequestContext().getHttp().getMethod());
        assertTrue(e.getIsBase64Encoded());
        String csv = new String(Base64.getDecoder().decode(e.getBody()), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals(5, lines.size());
        assertEquals("customer_id,email,first_name,last_name,address,city,state,postcode,phone,order_datetime,order_total,product_category",
                lines.get(0));
        lines.forEach(l -> assertEquals(12, l.split(",", -1).length, l));
    }

    @Test
    void s3EventsAreObjectCreatedUnderTheUploadFolder() throws Exception {
        List<Path> s3 = files("s3-");
        assertFalse(s3.isEmpty());
        for (Path p : s3) {
            S3Event e = EventLoader.loadS3Event(p.toString());
            assertEquals(1, e.getRecords().size(), p.toString());
            var record = e.getRecords().get(0);
            assertTrue(record.getEventName().startsWith("ObjectCreated:"), p.toString());
            String key = URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
            assertTrue(key.matches("uploads/[0-9a-f-]{36}/[^/]+/[^/]+\\.csv"), p + ": " + key);
        }
        assertEquals("uploads/11111111-1111-1111-1111-111111111111/orders/orders (march).csv", URLDecoder.decode(
                EventLoader.loadS3Event("events/s3-upload-folder-put-encoded-key.json").getRecords().get(0).getS3().getObject().getKey(),
                StandardCharsets.UTF_8));
    }

    /** One step-<kebab-case>.json per Task of the real definition, shaped like what Step Functions passes. */
    @Test
    void oneStepInputPerStateMachineTask() throws Exception {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z]+)FunctionArn}").matcher(Files.readString(Path.of("infra/statemachine/personae.asl.json")));
        int tasks = 0;
        while (m.find()) {
            tasks++;
            String step = m.group(1);
            Path p = EVENTS.resolve("step-" + step.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase() + ".json");
            assertTrue(Files.exists(p), "missing fixture " + p + " for " + step);
            JsonNode node = JSON.readTree(p.toFile());
            for (String field : List.of("account", "kind", "id")) {
                assertTrue(node.path(field).isTextual(), p + " needs " + field);
            }
            assertTrue(List.of("datasets", "cohorts", "persona_sets", "scopes", "targets").contains(node.get("kind").asText()), p.toString());
            if (!step.equals("CheckInputs")) {
                assertEquals("ready", node.path("inputs").path("state").asText(), p + " should carry CheckInputs' result");
            }
            if (step.equals("MarkError")) {
                assertTrue(node.path("error").path("Error").isTextual(), p.toString());
                JsonNode cause = JSON.readTree(node.path("error").path("Cause").asText());
                assertTrue(cause.path("errorMessage").isTextual(), p + ": Cause is the Lambda error JSON, as a string");
            }
        }
        assertEquals(tasks, files("step-").size(), "step fixtures vs Tasks in the definition");
    }
}
