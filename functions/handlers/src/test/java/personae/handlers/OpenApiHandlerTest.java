package personae.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.api.OpenApi;
import personae.core.resource.Json;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On AWS the document comes from the Api function (the HTTP API's /v1/{proxy+} route), without a key. */
class OpenApiHandlerTest {

    @Test
    void theApiFunctionServesTheOpenApiDocumentWithoutAKey() {
        Services services = new Services(new InMemoryMetadataStore(), new InMemoryBlobStore(), new RecordingWorkflowStarter(),
                Clock.systemUTC(), new Services.Settings(4L << 20, 3L << 20, Duration.ofHours(1), Duration.ofSeconds(1), null));
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath(OpenApi.PATH)
                .withHeaders(Map.of("accept", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath(OpenApi.PATH).build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse r = new ApiHandler(services).handleRequest(event, null);
        assertEquals(200, r.getStatusCode(), r.getBody());
        assertFalse(r.getIsBase64Encoded(), "JSON is answered as text");
        assertEquals("3.1.0", Json.read(r.getBody()).path("openapi").asText(), "the OpenAPI 3.1 document");
        assertTrue(r.getBody().length() < 1_000_000, "the document is far below Lambda's 6 MB response limit ("
                + r.getBody().length() + " characters)");
    }
}
