package personae.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.pipeline.Keys;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Status;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Api function's EventBridge Scheduler input (template.yaml's ScheduledRefresh) runs the due refreshes. */
class ScheduledRefreshEventTest {

    @Test
    void theTemplatesScheduledInputRebuildsADueDatasetAndAnHttpEventWithItsRouteKeyDoesNot() throws Exception {
        Instant created = Instant.parse("2026-03-01T10:20:00Z");
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        InMemoryBlobStore blobs = new InMemoryBlobStore(Clock.fixed(created, ZoneOffset.UTC));
        RecordingWorkflowStarter workflows = new RecordingWorkflowStarter();
        Services then = new Services(metadata, blobs, workflows, Clock.fixed(created, ZoneOffset.UTC),
                Services.Settings.lambda("bucket"));
        try (OutputStream out = blobs.create(Keys.uploadDirectory("acct", "orders") + "jan.csv")) {
            out.write("email,total\na@x.com,1\n".getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode fields = Json.object();
        fields.put("name", "orders");
        fields.putObject("options").put("type", "hosted_csv").put("upload_directory", "orders");
        fields.putObject("refresh").put("every", "hour");
        String id = then.resources().create("acct", ResourceType.DATASETS, fields).id();
        then.resources().setStatus("acct", ResourceType.DATASETS, id, Status.READY, null);

        Services now = new Services(metadata, blobs, workflows, Clock.fixed(created.plus(Duration.ofHours(1)), ZoneOffset.UTC),
                Services.Settings.lambda("bucket"));
        ApiHandler handler = new ApiHandler(now, Duration.ofHours(24));
        Matcher input = Pattern.compile("Input: '(\\{\"routeKey\": \"personae:scheduled-refresh\"\\})'")
                .matcher(Files.readString(Path.of("template.yaml")));
        assertTrue(input.find(), "template.yaml gives the ScheduledRefresh schedule its constant Input");
        ObjectMapper lambdaLike = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        APIGatewayV2HTTPEvent http = lambdaLike.readValue(input.group(1), APIGatewayV2HTTPEvent.class);
        http.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build()).build());
        http.setRawPath("/v1/datasets");
        http.setHeaders(Map.of());
        assertEquals(401, handler.handleRequest(http, null).getStatusCode(), "an HTTP request is answered by the API");
        assertEquals(List.of(), workflows.requests(), "and refreshes nothing");

        APIGatewayV2HTTPEvent scheduled = lambdaLike.readValue(input.group(1), APIGatewayV2HTTPEvent.class);
        var answer = handler.handleRequest(scheduled, null);
        assertEquals(200, answer.getStatusCode(), answer.getBody());
        assertEquals("{\"refreshed_datasets\":1}", answer.getBody());
        assertEquals(List.of(new BuildRequest("acct", "datasets", id)), workflows.requests(),
                "the hourly dataset, whose files its last build never read, rebuilds");
    }
}
