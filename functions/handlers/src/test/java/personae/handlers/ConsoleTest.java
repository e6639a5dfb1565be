package personae.handlers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleTest {

    @Test
    void theRootIsTheConsolesPageWithAContentSecurityPolicy() {
        Console.Asset page = Console.serve("GET", "/", null);
        assertEquals(200, page.status());
        assertTrue(page.headers().get("Content-Type").startsWith("text/html"), "the page is HTML");
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("/console/app.js"), "the page loads the console's module");
        assertTrue(page.headers().get("Content-Security-Policy").contains("default-src 'self'"), "the page only loads from its own origin");
    }

    @Test
    void theApisPathsAreNotTheConsoles() {
        assertNull(Console.serve("GET", "/v1/persona_sets", null), "/v1 stays the API's");
        assertNull(Console.serve("GET", "/consoles", null), "only /console/ is the console's folder");
        assertNull(Console.serve("GET", "/files/x", null), "signed files stay the local server's");
    }

    @Test
    void eChartsComesFromItsWebJarGzippedWhenAcceptedAndCachedForGood() throws IOException {
        Console.Asset plain = Console.serve("GET", "/console/lib/echarts.min.js", null);
        Console.Asset gzipped = Console.serve("GET", "/console/lib/echarts.min.js", "gzip, deflate, br");
        assertEquals(200, plain.status());
        assertFalse(plain.gzipped(), "no gzip unless the client accepts it");
        assertTrue(gzipped.gzipped(), "gzip when accepted");
        assertTrue(gzipped.body().length < plain.body().length / 2, "gzip at least halves the library");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes(), "the gzipped bytes are the library's");
        }
        assertTrue(plain.headers().get("Cache-Control").contains("immutable"), "the versioned library is cached for good");
        assertEquals("no-cache", Console.serve("GET", "/console/app.js", null).headers().get("Cache-Control"),
                "the console's own files are revalidated");
    }

    @Test
    void anUnknownOrUnsafeConsolePathIsA404AndOtherMethodsA405() {
        assertEquals(404, Console.serve("GET", "/console/nothing.js", null).status());
        assertEquals(404, Console.serve("GET", "/console/../pom.xml", null).status(), "no path leaves the console's folder");
        assertEquals(404, Console.serve("GET", "/console/lib/other.js", null).status());
        assertEquals(405, Console.serve("POST", "/", null).status());
    }

    @Test
    void theApiFunctionServesTheConsoleOnItsOwnRoutes() {
        var event = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.builder()
                .withRawPath("/console/lib/echarts.min.js")
                .withHeaders(java.util.Map.of("accept-encoding", "gzip"))
                .withRequestContext(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET").withPath("/console/lib/echarts.min.js").build()).build())
                .build();
        var response = ApiHandler.console(event);
        assertEquals(200, response.getStatusCode());
        assertTrue(response.getIsBase64Encoded(), "gzipped bytes go base64-encoded");
        assertEquals("gzip", response.getHeaders().get("Content-Encoding"));
        assertTrue(response.getBody().length() < 6 * 1024 * 1024 * 3 / 4, "the answer fits Lambda's 6 MB response");
        event.setRawPath("/v1/persona_sets");
        assertNull(ApiHandler.console(event), "the API's paths go to the API");
    }
}
