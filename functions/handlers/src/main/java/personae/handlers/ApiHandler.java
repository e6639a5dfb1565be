package personae.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import personae.core.Services;
import personae.core.pipeline.ScheduledRefresh;
import personae.core.api.ApiRequest;
import personae.core.api.ApiResponse;
import personae.core.api.PersonaeApi;
import personae.core.api.RequestLimits;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** API Gateway HTTP API (payload 2.0) -> the v1 API. Translates the event and the response, nothing more. */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final PersonaeApi api;
    private final AccountSweep sweep;
    private final ScheduledRefresh refreshes;

    public ApiHandler() {
        this(LambdaServices.get());
    }

    public ApiHandler(Services services) {
        this(services, AccountSweep.grace(System.getenv()));
    }

    ApiHandler(Services services, java.time.Duration deletionGrace) {
        this.api = new PersonaeApi(services);
        this.sweep = new AccountSweep(services, deletionGrace);
        this.refreshes = new ScheduledRefresh(services);
    }

    /**
     * The {@code routeKey} of EventBridge Scheduler's constant input that runs the datasets' due refreshes; like
     * {@link AccountSweep#EVENT}, no HTTP request can carry it (API Gateway sets every routeKey to a route).
     */
    public static final String SCHEDULED_REFRESH = "personae:scheduled-refresh";

    /** The answer to a schedule's input ({@link AccountSweep#EVENT}, {@link #SCHEDULED_REFRESH}), or null for another. */
    private APIGatewayV2HTTPResponse scheduled(String routeKey) {
        String body;
        if (AccountSweep.EVENT.equals(routeKey)) body = "{\"removed_accounts\":" + sweep.run().size() + "}";
        else if (SCHEDULED_REFRESH.equals(routeKey)) body = "{\"refreshed_datasets\":" + refreshes.runDue().size() + "}";
        else return null;
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getRequestContext() == null) {
            // a schedule's constant input (template.yaml: AccountSweep, ScheduledRefresh), never an HTTP request
            APIGatewayV2HTTPResponse scheduled = scheduled(event.getRouteKey());
            if (scheduled != null) return scheduled;
        }
        APIGatewayV2HTTPResponse page = console(event);
        if (page != null) return page;
        // bounded before anything is decoded or copied (API Gateway allows larger headers than Personae does)
        ApiResponse r;
        var tooLarge = RequestLimits.check(event.getRawPath(), event.getHeaders());
        if (tooLarge != null) r = RequestLimits.response(tooLarge);
        else r = api.handle(toRequest(event));
        byte[] body = r.bodyBytes();
        String type = r.headers().getOrDefault("Content-Type", "");
        boolean text = (type.startsWith("application/json") || type.startsWith("text/"))
                && !r.headers().containsKey("Content-Encoding");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(r.status())
                .withHeaders(r.headers())
                .withBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(!text)
                .build();
    }

    /** The web console's files (routes GET / and GET /console/{proxy+} of template.yaml), or null for the API's paths. */
    static APIGatewayV2HTTPResponse console(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "GET";
        Console.Asset page = Console.serve(method, event.getRawPath(),
                event.getHeaders() == null ? null : event.getHeaders().get("accept-encoding"));
        if (page == null) return null;
        boolean text = !page.gzipped() && page.headers().get("Content-Type").startsWith("text/");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(page.status())
                .withHeaders(page.headers())
                .withBody(text ? new String(page.body(), StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(page.body()))
                .withIsBase64Encoded(!text)
                .build();
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent e) {
        Map<String, String> headers = new HashMap<>(e.getHeaders() == null ? Map.of() : e.getHeaders());
        byte[] body = e.getBody() == null ? new byte[0]
                : e.getIsBase64Encoded() ? Base64.getDecoder().decode(e.getBody())
                : e.getBody().getBytes(StandardCharsets.UTF_8);
        headers.put("content-length", Long.toString(body.length));
        String method = e.getRequestContext() != null && e.getRequestContext().getHttp() != null
                ? e.getRequestContext().getHttp().getMethod() : "GET";
        String path = e.getRawPath() != null ? e.getRawPath() : e.getRequestContext().getHttp().getPath();
        return ApiRequest.of(method, path, headers, body);
    }
}
