package personae.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.account.Accounts;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Api function's scheduled input (template.yaml's AccountSweep) sweeps deleted accounts; no HTTP event does. */
class AccountSweepEventTest {

    static final String ROOT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    @Test
    void theTemplatesScheduledInputRemovesDeletedAccountsAndAnHttpEventWithItsRouteKeyDoesNot() throws Exception {
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        Services services = new Services(metadata, new InMemoryBlobStore(), new RecordingWorkflowStarter(),
                Clock.systemUTC(), Services.Settings.lambda("bucket"));
        Accounts accounts = new Accounts(services);
        accounts.ensure(ROOT, "Root", "root-key-0123456789");
        String sub = accounts.createSubaccount(ROOT, "Sub").account().id();
        accounts.requestDeletion(ROOT, Accounts.keyHash("root-key-0123456789"), sub);
        ApiHandler handler = new ApiHandler(services, Duration.ZERO);

        Matcher input = Pattern.compile("Input: '(\\{[^']*\\})'").matcher(Files.readString(Path.of("template.yaml")));
        assertTrue(input.find(), "template.yaml gives the schedule a constant Input");
        ObjectMapper lambdaLike = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        APIGatewayV2HTTPEvent http = lambdaLike.readValue(input.group(1), APIGatewayV2HTTPEvent.class);
        http.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build()).build());
        http.setRawPath("/v1/accounts/current");
        http.setHeaders(Map.of());
        assertEquals(401, handler.handleRequest(http, null).getStatusCode(), "an HTTP request is answered by the API");
        assertTrue(accounts.find(sub).isPresent(), "and sweeps nothing");

        APIGatewayV2HTTPEvent scheduled = lambdaLike.readValue(input.group(1), APIGatewayV2HTTPEvent.class);
        var answer = handler.handleRequest(scheduled, null);
        assertEquals(200, answer.getStatusCode(), answer.getBody());
        assertEquals("{\"removed_accounts\":1}", answer.getBody());
        assertTrue(accounts.find(sub).isEmpty(), "the deleted subaccount is gone");
        assertTrue(accounts.find(ROOT).isPresent(), "its parent stays");
    }

    @Test
    void theGracePeriodComesFromTheEnvironmentAsAnIsoDuration() {
        assertEquals(Duration.ofHours(24), AccountSweep.grace(Map.of()), "the reference's 24 hours by default");
        assertEquals(Duration.ofSeconds(2), AccountSweep.grace(Map.of(AccountSweep.GRACE_VARIABLE, "PT2S")));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AccountSweep.grace(Map.of(AccountSweep.GRACE_VARIABLE, "24h")));
        assertTrue(e.getMessage().contains(AccountSweep.GRACE_VARIABLE), "the error names the variable: " + e.getMessage());
    }
}
